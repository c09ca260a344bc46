import type { Reply } from './http.js';
import { isDict, loadsLikePython, pythonType } from './python-json.js';

/** Where the error the backend raises comes from, in the order it looks. */
export type ErrorSource = 'request' | 'invalid_json' | 'error' | 'http_status' | 'status';

interface Seen {
  /** The JSON value the backend parsed (undefined when the body was not JSON or nothing came back). */
  json: unknown;
  /** The answer is a version-2 envelope (`command_response_version` > 1). */
  version2: boolean;
  /** The `spiff__logs` lines the backend copies into its log. */
  logs: readonly unknown[] | undefined;
}

/** What SpiffArena's backend does with a proxy's answer to `POST /v1/do/<id>`. */
export type BackendView = Seen &
  (
    | { kind: 'result'; stored: unknown }
    | { kind: 'waiting' }
    | { kind: 'error'; errorCode: string; message: string; status: number; source: ErrorSource; transient: boolean }
    | { kind: 'crash'; exception: string; message: string }
  );

/** A Python exception the backend's own reading code would raise. */
class Raised extends Error {
  constructor(
    readonly exception: string,
    message: string,
  ) {
    super(message);
  }
}

/** The error the backend raises for an answer that is not JSON. */
export const INVALID_JSON = 'ServiceTaskOperatorReturnedInvalidJsonError';
/** The error the backend raises for an outer status >= 300 without a structured error. */
export const BAD_STATUS = 'ServiceTaskOperatorReturnedBadStatusError';

/**
 * Reads an answer exactly as the backend's `ServiceTaskDelegate.call_connector` does: no answer is
 * an error named after the exception; a body that is not JSON is
 * ServiceTaskOperatorReturnedInvalidJsonError; `spiff__logs` are logged (and `api_response`
 * replaces the answer beside them); a version-2 envelope stores its `command_response` plus
 * `operator_identifier`; then errors in order (inner `http_status` >= 300 sets the status, a
 * structured `error` names the code, an outer status >= 300 without one is a bad status); only then
 * does a 202 make the task wait. Python's own exceptions (indexing a list, comparing None) are
 * reported as a crash, since they fail the task too.
 */
export function readAnswer(reply: Reply, operatorId: string): BackendView {
  if (!reply.ok) {
    const message = `${reply.error}: ${reply.message}`;
    const failure = { errorCode: reply.error, message, status: 500, source: 'request' as const, transient: true };
    return { kind: 'error', ...failure, json: undefined, version2: false, logs: undefined };
  }
  const seen: Seen = { json: undefined, version2: false, logs: undefined };
  try {
    const outcome = follow(reply.status, reply.text, operatorId, seen);
    return { ...seen, ...outcome };
  } catch (error) {
    if (!(error instanceof Raised)) throw error;
    return { ...seen, kind: 'crash', exception: error.exception, message: error.message };
  }
}

type Outcome =
  | { kind: 'result'; stored: unknown }
  | { kind: 'waiting' }
  | { kind: 'error'; errorCode: string; message: string; status: number; source: ErrorSource; transient: boolean };

function follow(status: number, text: string, operatorId: string, seen: Seen): Outcome {
  let responseText = text;
  const loaded = loadsLikePython(text || '{}');
  let parsed: unknown = loaded.ok ? loaded.value : { error: { error_code: INVALID_JSON, message: text } };
  if (loaded.ok) seen.json = loaded.value;
  if (has(parsed, 'spiff__logs')) {
    seen.logs = iterate(get(parsed, 'spiff__logs'));
    if (has(parsed, 'api_response')) {
      parsed = get(parsed, 'api_response');
      responseText = JSON.stringify(parsed);
    }
  }
  let stored: unknown = parsed;
  if (has(parsed, 'command_response_version') && greaterThan(get(parsed, 'command_response_version'), 1)) {
    seen.version2 = true;
    const response = get(parsed, 'command_response');
    if (!isDict(response)) {
      throw new Raised('TypeError', `'${pythonType(response)}' object does not support item assignment`);
    }
    stored = { ...response, operator_identifier: operatorId };
    responseText = JSON.stringify(stored);
  }
  const error = errorIn(parsed, status, responseText, loaded.ok);
  if (error) return { kind: 'error', ...error };
  if (status === 202) return { kind: 'waiting' };
  if (has(parsed, 'refreshed_token_set')) {
    get(parsed, 'auth');
    return { kind: 'result', stored: get(parsed, 'api_response') };
  }
  return { kind: 'result', stored };
}

type Failure = Omit<Extract<Outcome, { kind: 'error' }>, 'kind'>;

/**
 * The backend's `check_for_errors` on a parsed body, as its callback route also runs it (with
 * status 200): the error it raises, a crash of its own, or undefined.
 */
export function checkForErrors(
  parsed: unknown,
  status: number,
): { kind: 'error'; failure: Failure } | { kind: 'crash'; exception: string; message: string } | undefined {
  try {
    const failure = errorIn(parsed, status, JSON.stringify(parsed), true);
    return failure ? { kind: 'error', failure } : undefined;
  } catch (error) {
    if (!(error instanceof Raised)) throw error;
    return { kind: 'crash', exception: error.exception, message: error.message };
  }
}

/** `check_for_errors`: inner http_status, then a structured error, then the outer status. */
function errorIn(parsed: unknown, status: number, responseText: string, wasJson: boolean): Failure | undefined {
  let found: { errorCode: string; message: string; source: ErrorSource } | undefined;
  let errorStatus = status;
  const version2 =
    isDict(parsed) && has(parsed, 'command_response_version') && greaterThan(parsed.command_response_version, 1);
  const response = version2 && isDict(parsed) ? parsed.command_response : undefined;
  const upstream = isDict(response) ? response.http_status : undefined;
  if (typeof upstream === 'number' && Number.isInteger(upstream) && upstream >= 300) {
    const message = `Service task received HTTP ${upstream} from upstream service. Response: ${responseText}`;
    found = { errorCode: `ServiceTaskHttpError${upstream}`, message, source: 'http_status' };
    errorStatus = upstream;
  }
  if (has(parsed, 'error')) {
    const error = get(parsed, 'error');
    if (isDict(error) && has(error, 'error_code')) {
      const message = get(error, 'message');
      const source = wasJson ? 'error' : 'invalid_json';
      found = { errorCode: pyStr(error.error_code), message: pyStr(message), source };
    }
  }
  if (!found && status >= 300) {
    let message = '';
    if (has(parsed, 'error')) {
      const error = get(parsed, 'error');
      if (isTruthy(error)) message = typeof error === 'object' ? JSON.stringify(error) : pyStr(error);
    }
    message = `${message || responseText} A critical component (The connector proxy) is not responding correctly.`;
    found = { errorCode: BAD_STATUS, message, source: 'status' };
  }
  if (!found) return undefined;
  return { ...found, status: errorStatus, transient: errorStatus >= 500 || errorStatus === 429 };
}

/** Python's `key in value`. */
function has(value: unknown, key: string): boolean {
  if (isDict(value)) return Object.hasOwn(value, key);
  if (Array.isArray(value)) return value.includes(key);
  if (typeof value === 'string') return value.includes(key);
  throw new Raised('TypeError', `argument of type '${pythonType(value)}' is not iterable`);
}

/** Python's `value[key]`. */
function get(value: unknown, key: string): unknown {
  if (isDict(value)) {
    if (!Object.hasOwn(value, key)) throw new Raised('KeyError', `'${key}'`);
    return value[key];
  }
  if (Array.isArray(value)) throw new Raised('TypeError', 'list indices must be integers or slices, not str');
  if (typeof value === 'string') throw new Raised('TypeError', "string indices must be integers, not 'str'");
  throw new Raised('TypeError', `'${pythonType(value)}' object is not subscriptable`);
}

/** Python's `for x in value`. */
function iterate(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  if (isDict(value)) return Object.keys(value);
  throw new Raised('TypeError', `'${pythonType(value)}' object is not iterable`);
}

/** Python's `value > limit` for a number limit. */
function greaterThan(value: unknown, limit: number): boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return Number(value) > limit;
  throw new Raised('TypeError', `'>' not supported between instances of '${pythonType(value)}' and 'int'`);
}

/** Python's truth value of a JSON value. */
function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/**
 * One line saying what the backend does with the answer. A BPMN error is caught by a boundary
 * event with its code; uncaught, it fails the task (retried only when transient).
 */
export function describeView(view: BackendView): string {
  switch (view.kind) {
    case 'result': {
      const what = view.version2
        ? `{${isDict(view.stored) ? Object.keys(view.stored).join(', ') : ''}}`
        : 'the answer as it is (not a version-2 envelope)';
      return `stores ${what} as the task's result`;
    }
    case 'waiting':
      return 'waits for the callback (the task stays STARTED)';
    case 'error': {
      const retry = view.transient ? 'retried if the task has retries' : 'not retried';
      return `raises BPMN error ${view.errorCode} (status ${view.status}, ${retry})`;
    }
    case 'crash':
      return `its reader raises ${view.exception} (${view.message}): the task fails, not retried`;
  }
}
