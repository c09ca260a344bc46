import { isDict } from './python-json.js';

/** What the backend should make of an answer (or of a callback). */
export type ExpectedOutcome = 'result' | 'error' | 'waiting';

/** What a case expects, as the backend would see it. */
export interface CaseExpectation {
  /** `result`: the task stores a result; `error`: the backend raises a BPMN error; `waiting`: it waits for the callback. */
  outcome: ExpectedOutcome;
  /** The outer HTTP status. */
  status?: number;
  /** With `error`: the error code a boundary event would catch. */
  errorCode?: string;
  /** With `result`: a part of what the task stores (for a version-2 answer `{body, mimetype, http_status?, operator_identifier}`). */
  result?: unknown;
  /** With `waiting`: the callback the proxy must then PUT, and what the task stores from it (`command_response.body`). */
  callback?: { outcome: 'result' | 'error'; errorCode?: string; result?: unknown };
}

/** A request a user writes, and what the backend should see. */
export interface ConformanceCase {
  name: string;
  /** `connector/Command`. */
  command: string;
  params?: Record<string, unknown>;
  /** Sent as `spiff__task_data`. */
  taskData?: Record<string, unknown>;
  expect: CaseExpectation;
}

/**
 * Reads cases from a file's text: one case object, an array of them, or `{"cases": [...]}`.
 * Throws one line naming the file and the first mistake.
 */
export function parseCases(text: string, source: string): ConformanceCase[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = Array.isArray(value) ? value : isDict(value) && Array.isArray(value.cases) ? value.cases : [value];
  return list.map((item, index) => readCase(item, list.length > 1 ? `${source} case ${index + 1}` : source));
}

function readCase(item: unknown, where: string): ConformanceCase {
  const fail = (problem: string): never => {
    throw new Error(`${where}: ${problem}`);
  };
  if (!isDict(item)) return fail('a case must be an object {"name", "command", "params", "expect"}');
  const { name, command, params, taskData, expect } = item;
  if (typeof command !== 'string' || !/^[^/]+\/[^/]+$/.test(command)) {
    return fail('"command" must be "connector/Command"');
  }
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) return fail('"name" must be a text');
  if (params !== undefined && !isDict(params)) return fail('"params" must be an object');
  if (taskData !== undefined && !isDict(taskData)) return fail('"taskData" must be an object');
  if (!isDict(expect)) return fail('"expect" must be an object with an "outcome"');
  const outcome = expect.outcome;
  if (outcome !== 'result' && outcome !== 'error' && outcome !== 'waiting') {
    return fail('"expect.outcome" must be "result", "error" or "waiting"');
  }
  if (expect.status !== undefined && !Number.isInteger(expect.status))
    return fail('"expect.status" must be an integer');
  if (expect.errorCode !== undefined && (outcome !== 'error' || typeof expect.errorCode !== 'string')) {
    return fail('"expect.errorCode" is a text, and only for "outcome": "error"');
  }
  if (expect.result !== undefined && outcome !== 'result')
    return fail('"expect.result" is only for "outcome": "result"');
  const expectation: CaseExpectation = { outcome };
  if (typeof expect.status === 'number') expectation.status = expect.status;
  if (typeof expect.errorCode === 'string') expectation.errorCode = expect.errorCode;
  if (expect.result !== undefined) expectation.result = expect.result;
  const callback = expect.callback;
  if (callback !== undefined) {
    if (outcome !== 'waiting') return fail('"expect.callback" is only for "outcome": "waiting"');
    if (!isDict(callback) || (callback.outcome !== 'result' && callback.outcome !== 'error')) {
      return fail('"expect.callback.outcome" must be "result" or "error"');
    }
    if (callback.errorCode !== undefined && (callback.outcome !== 'error' || typeof callback.errorCode !== 'string')) {
      return fail('"expect.callback.errorCode" is a text, and only for "outcome": "error"');
    }
    expectation.callback = {
      outcome: callback.outcome,
      ...(typeof callback.errorCode === 'string' ? { errorCode: callback.errorCode } : {}),
      ...(callback.result !== undefined ? { result: callback.result } : {}),
    };
  }
  return {
    name: typeof name === 'string' ? name.trim() : command,
    command,
    ...(params ? { params } : {}),
    ...(taskData ? { taskData } : {}),
    expect: expectation,
  };
}
