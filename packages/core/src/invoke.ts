import { createCommandAbort } from './abort.js';
import type { Command, CommandContext, TaskInfo } from './command.js';
import { ErrorCode } from './errors.js';
import { foldError, foldOutput, isPlainObject } from './fold.js';
import { describeProblems } from './param.js';
import {
  type EnvelopeV2,
  type LegacyAnswer,
  RESERVED_PREFIX,
  RequestKey,
  toEnvelope,
  toWireError,
} from './protocol.js';
import { createSecretMask, type SecretMask } from './secrets.js';

export { isPlainObject };

/** The backend gives up after 45 s; answering before that lets the task see our error. */
export const DEFAULT_TIMEOUT_MS = 40_000;
/** Bounds on `spiff__logs`, so a chatty command cannot make an answer huge. */
export const MAX_LOG_LINES = 200;
export const MAX_LOG_LINE_LENGTH = 2_000;
/** setTimeout fires at once for anything longer (about 24.8 days), so longer deadlines are cut to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Why an invocation did not succeed; the server maps each kind to one outer HTTP status. */
export type Failure = 'not_found' | 'invalid_request' | 'too_large' | 'invalid_parameters' | 'command' | 'crash';

/** The outcome of one command execution, ready for the wire. */
export type Invocation =
  | { kind: 'v2'; envelope: EnvelopeV2; failure: Failure | null }
  | { kind: 'v1'; answer: LegacyAnswer; logs: readonly string[] };

/** Options of {@link invoke}. */
export interface InvokeOptions {
  /** The proxy's deadline for any command; a command's own `timeoutMs` may only shorten it. */
  timeoutMs?: number;
  /** The proxy's configuration for the command's connector. */
  config?: Readonly<Record<string, string>>;
  /** Aborts the command early, e.g. at shutdown. */
  signal?: AbortSignal;
}

/** An invocation that failed before the command ran (unknown command, bad body ...). */
export function rejected(failure: Failure, code: string, message: string): Invocation {
  return { kind: 'v2', envelope: toEnvelope(null, toWireError(code, message), []), failure };
}

/**
 * Runs a command for one request body: drops the reserved `spiff__` keys into the context,
 * checks and coerces the parameters, runs with a deadline, and folds whatever happens into
 * an envelope. Never throws for anything the body or the command does.
 */
export async function invoke(command: Command, body: unknown, options: InvokeOptions = {}): Promise<Invocation> {
  if (!isPlainObject(body)) {
    return rejected('invalid_request', ErrorCode.InvalidRequest, 'the request body must be a JSON object');
  }
  const mask = createSecretMask(command, body);
  const logs = createLog(mask);
  const bound = bindParams(command, body);
  if (bound.unknown.length > 0) {
    logs.add(`ignored unknown parameter${bound.unknown.length > 1 ? 's' : ''}: ${bound.unknown.join(', ')}`);
  }
  if (bound.problems.length > 0) {
    const message = `invalid parameters: ${bound.problems.join('; ')}`;
    return {
      kind: 'v2',
      envelope: toEnvelope(null, toWireError(ErrorCode.InvalidParameters, mask(message)), logs.lines, 400),
      failure: 'invalid_parameters',
    };
  }

  const timeoutMs = deadlineOf(command.timeoutMs, options.timeoutMs);
  const abort = createCommandAbort(options.signal);
  const taskData = body[RequestKey.taskData];
  const context: CommandContext = {
    taskData: isPlainObject(taskData) ? taskData : {},
    log: logs.add,
    get signal() {
      return abort.signal;
    },
    deadline: Date.now() + timeoutMs,
    config: options.config ?? {},
    task: readTaskInfo(body),
  };

  const finish = (invocation: Invocation): Invocation => {
    abort.dispose();
    logs.close();
    return invocation;
  };
  let started: unknown;
  try {
    started = command.run(bound.args, context);
  } catch (error) {
    return finish(foldError(error, logs.lines, mask));
  }
  // A command that answers synchronously needs no timer: nothing could interrupt it anyway.
  if (!isThenable(started)) return finish(foldOutput(started, logs.lines, mask));
  try {
    const output = await withDeadline(started, timeoutMs, (reason) => abort.abort(reason));
    if (output === TIMED_OUT) {
      logs.close();
      const message = `the command did not finish within ${timeoutMs} ms`;
      return finish({
        kind: 'v2',
        envelope: toEnvelope(null, toWireError(ErrorCode.CommandTimeout, message), logs.lines, 504),
        failure: 'command',
      });
    }
    return finish(foldOutput(output, logs.lines, mask));
  } catch (error) {
    return finish(foldError(error, logs.lines, mask));
  }
}

/** Settles with the command's output, or with TIMED_OUT after `ms` (aborting the command then). */
async function withDeadline(
  running: PromiseLike<unknown>,
  ms: number,
  abort: (reason: unknown) => void,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      resolve(TIMED_OUT);
      // The reason AbortSignal.timeout() uses, so fetch and friends reject as they would for it.
      abort(new DOMException(`the command did not finish within ${ms} ms`, 'TimeoutError'));
    }, ms);
  });
  const settled = Promise.resolve(running);
  // A command that ignores the signal may still fail after the deadline; nobody awaits it then.
  settled.catch(() => {});
  try {
    return await Promise.race([settled, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    'then' in value &&
    typeof value.then === 'function'
  );
}

const TIMED_OUT = Symbol('timed out');

/** The proxy's deadline, or the command's own when shorter; invalid values fall back to the default. */
function deadlineOf(own: number | undefined, proxy: number | undefined): number {
  const bound = isPositive(proxy) ? proxy : DEFAULT_TIMEOUT_MS;
  return Math.min(isPositive(own) ? Math.min(own, bound) : bound, MAX_TIMER_MS);
}

function isPositive(value: number | undefined): value is number {
  return typeof value === 'number' && value > 0;
}

interface Bound {
  args: Record<string, unknown>;
  problems: string[];
  unknown: string[];
}

/** Checks every declared parameter and collects every problem, so the author fixes all at once. */
function bindParams(command: Command, body: Record<string, unknown>): Bound {
  const entries: [string, unknown][] = [];
  const problems: string[] = [];
  for (const [id, p] of Object.entries(command.params)) {
    const raw = Object.hasOwn(body, id) ? body[id] : undefined;
    if (raw === undefined || raw === null) {
      // A copy, so a run that changes an object default cannot change it for the next request.
      if (p.hasDefault) entries.push([id, copyOf(p.defaultValue)]);
      else if (!p.required) entries.push([id, undefined]);
      else problems.push(`${id} is required`);
      continue;
    }
    const checked = p.check(raw);
    if (checked.ok) entries.push([id, checked.value]);
    else problems.push(...describeProblems(id, checked.problems ?? [{ path: [], message: checked.problem }]));
  }
  // fromEntries defines own properties, so even a declared "__proto__" cannot reach a prototype.
  const args = Object.fromEntries(entries);
  const unknown = Object.keys(body).filter(
    (key) => !key.startsWith(RESERVED_PREFIX) && !Object.hasOwn(command.params, key),
  );
  return { args, problems, unknown };
}

/** A deep copy of a JSON-like value; anything structuredClone refuses (a function) is kept as it is. */
function copyOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

function readTaskInfo(body: Record<string, unknown>): TaskInfo {
  const text = (key: string) => {
    const value = body[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  };
  const info: TaskInfo = {};
  const callbackUrl = text(RequestKey.callbackUrl);
  const processInstanceId = text(RequestKey.processInstanceId);
  const processModelIdentifier = text(RequestKey.processModelIdentifier);
  const taskId = text(RequestKey.taskId);
  if (callbackUrl !== undefined) info.callbackUrl = callbackUrl;
  if (processInstanceId !== undefined) info.processInstanceId = processInstanceId;
  if (processModelIdentifier !== undefined) info.processModelIdentifier = processModelIdentifier;
  if (taskId !== undefined) info.taskId = taskId;
  return info;
}

function createLog(mask: SecretMask) {
  const lines: string[] = [];
  let dropped = 0;
  let open = true;
  return {
    lines,
    add(message: string): void {
      if (!open) return;
      if (lines.length >= MAX_LOG_LINES) {
        dropped += 1;
        lines[MAX_LOG_LINES] = `… ${dropped} more log line${dropped > 1 ? 's' : ''} dropped`;
        return;
      }
      const text = mask(String(message));
      lines.push(text.length > MAX_LOG_LINE_LENGTH ? `${text.slice(0, MAX_LOG_LINE_LENGTH)}…` : text);
    },
    /** After the answer is built, late lines from a command that ignored its deadline are dropped. */
    close(): void {
      open = false;
    },
  };
}
