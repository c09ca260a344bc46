import { type CommandAbort, createCommandAbort, SHUT_DOWN, TIMED_OUT } from './abort.js';
import type { Command, CommandContext, TaskInfo } from './command.js';
import { ErrorCode, egressRefusalOf } from './errors.js';
import { failedWith, foldError, foldOutput, isPlainObject, maskInvocation, rejected } from './fold.js';
import type { Invocation } from './invocation.js';
import { describeProblems } from './param.js';
import { RESERVED_PREFIX, RequestKey } from './protocol.js';
import type { Target } from './registry.js';
import { createSecretSet, type Secrets } from './secrets.js';

export { isPlainObject, rejected };

/** The backend gives up after 45 s; answering before that lets the task see our error. */
export const DEFAULT_TIMEOUT_MS = 40_000;
/** Bounds on `spiff__logs`, so a chatty command cannot make an answer huge. */
export const MAX_LOG_LINES = 200;
export const MAX_LOG_LINE_LENGTH = 2_000;
/** setTimeout fires at once for anything longer (about 24.8 days), so longer deadlines are cut to it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Options of {@link invoke}. */
export interface InvokeOptions {
  /** The proxy's deadline for any command; a command's own `timeoutMs` may only shorten it. */
  timeoutMs?: number;
  /** Replaces the target's configuration (for a bare command, its only configuration). */
  config?: Readonly<Record<string, unknown>>;
  /** Aborts the command early because the proxy is stopping: it then answers `ProxyShuttingDown`. */
  signal?: AbortSignal;
  /** Treat `timeoutMs` as the whole deadline, past the command's own (a long-running command in the background). */
  background?: boolean;
}

/**
 * Runs a command for one request body: drops the reserved `spiff__` keys into the context,
 * checks and coerces the parameters, runs with a deadline, folds whatever happens into an
 * envelope and masks every secret in it. Never throws for anything the body or the command does.
 */
export async function invoke(
  target: Target | Command,
  body: unknown,
  options: InvokeOptions = {},
): Promise<Invocation> {
  return invokeNow(target, body, options);
}

/**
 * {@link invoke}, but the answer of a command that returns synchronously comes back as it is,
 * not in a promise: a server that answers from it saves a promise and a turn of the microtask
 * queue per request. Await it when it is a promise (`instanceof Promise`).
 */
export function invokeNow(
  target: Target | Command,
  body: unknown,
  options: InvokeOptions = {},
): Invocation | Promise<Invocation> {
  const { command, config, services, secrets: configSecrets } = toTarget(target, options);
  if (!isPlainObject(body)) {
    return rejected('invalid_request', ErrorCode.InvalidRequest, 'the request body must be a JSON object');
  }
  const plan = planOf(command.params);
  const run = new Run(createSecretSet(plan.secretIds, body, configSecrets));
  const bound = bindParams(plan, body);
  if (bound.unknown.length > 0) {
    run.add(`ignored unknown parameter${bound.unknown.length > 1 ? 's' : ''}: ${bound.unknown.join(', ')}`);
  }
  if (bound.problems.length > 0) {
    const message = `invalid parameters: ${bound.problems.join('; ')}`;
    return run.finish(failedWith('invalid_parameters', ErrorCode.InvalidParameters, message, run.lines, 400));
  }
  if (options.signal?.aborted) return run.finish(shuttingDown(run.lines));

  const timeoutMs = options.background ? boundOf(options.timeoutMs) : deadlineOf(command.timeoutMs, options.timeoutMs);
  const abort = createCommandAbort(options.signal);
  run.abort = abort;
  const taskData = body[RequestKey.taskData];
  const context: CommandContext<unknown, Readonly<Record<string, unknown>>> = new InvocationContext(
    isPlainObject(taskData) ? taskData : {},
    run,
    abort,
    Date.now() + timeoutMs,
    config,
    services,
    readTaskInfo(body),
  );
  let started: unknown;
  try {
    started = command.run(bound.args, context);
  } catch (error) {
    return run.failed(error);
  }
  // A command that answers synchronously needs no timer: nothing could interrupt it anyway.
  if (!isThenable(started)) return run.done(foldOutput(started, run.lines));
  return settle(started, run, abort, timeoutMs, options.signal);
}

/**
 * The state of one invocation: its secrets, its log lines and its abort, with what finishes it.
 * One object with methods rather than a closure for each (the log, the fold, the failure): a
 * request allocates one thing instead of seven.
 */
class Run {
  readonly lines: string[] = [];
  #dropped = 0;
  #open = true;
  abort: CommandAbort | undefined;
  constructor(readonly secrets: Secrets) {}

  /** A line for `spiff__logs`: masked, cut to its bound, dropped past the count or once closed. */
  add(message: string): void {
    if (!this.#open) return;
    const { lines } = this;
    if (lines.length >= MAX_LOG_LINES) {
      this.#dropped += 1;
      lines[MAX_LOG_LINES] = `… ${this.#dropped} more log line${this.#dropped > 1 ? 's' : ''} dropped`;
      return;
    }
    const text = this.secrets.maskText(String(message));
    lines.push(text.length > MAX_LOG_LINE_LENGTH ? `${text.slice(0, MAX_LOG_LINE_LENGTH)}…` : text);
  }

  /** After the answer is built, late lines from a command that ignored its deadline are dropped. */
  close(): void {
    this.#open = false;
  }

  /** The answer, masked; no more log lines. */
  finish(invocation: Invocation): Invocation {
    this.close();
    return this.secrets.active ? maskInvocation(invocation, this.secrets.mask) : invocation;
  }

  /** {@link finish} for a command that ran: its abort is let go first. */
  done(invocation: Invocation): Invocation {
    this.abort?.dispose();
    return this.finish(invocation);
  }

  /**
   * What a command's failure answers. One that failed because the egress policy refused its
   * connection answers EgressDenied (http_status 403), whatever error its client made of the refusal.
   */
  failed(error: unknown): Invocation {
    const refusal = egressRefusalOf(error);
    if (refusal !== undefined)
      return this.done(failedWith('command', ErrorCode.EgressDenied, refusal, this.lines, 403));
    return this.done(foldError(error, this.lines));
  }
}

/** Waits for an asynchronous command within its deadline, and folds what it did. */
async function settle(
  started: PromiseLike<unknown>,
  run: Run,
  abort: CommandAbort,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Invocation> {
  try {
    const output = await abort.race(started, timeoutMs);
    if (output === TIMED_OUT) {
      run.close();
      const message = `the command did not finish within ${timeoutMs} ms`;
      return run.done(failedWith('command', ErrorCode.CommandTimeout, message, run.lines, 504));
    }
    if (output === SHUT_DOWN) {
      run.close();
      return run.done(shuttingDown(run.lines));
    }
    return run.done(foldOutput(output, run.lines));
  } catch (error) {
    // What a command throws once the proxy told it to stop is the stop, not its own failure.
    if (signal?.aborted) return run.done(shuttingDown(run.lines));
    return run.failed(error);
  }
}

function shuttingDown(logs: string[]): Invocation {
  const message = 'the proxy is shutting down and stopped the command; try again';
  return failedWith('command', ErrorCode.ProxyShuttingDown, message, logs, 503);
}

function toTarget(
  target: Target | Command,
  options: InvokeOptions,
): { command: Command; config: Readonly<Record<string, unknown>>; services: unknown; secrets: readonly string[] } {
  if ('command' in target && 'id' in target) {
    return {
      command: target.command,
      config: options.config ?? target.config,
      services: target.services,
      secrets: target.secrets,
    };
  }
  return { command: target, config: options.config ?? {}, services: undefined, secrets: [] };
}

/**
 * What `run` receives. A class, not an object literal: V8 builds a literal with a getter on a
 * slow path, which cost microseconds per request; the signal is still built on first read.
 */
class InvocationContext implements CommandContext<unknown, Readonly<Record<string, unknown>>> {
  readonly #run: Run;
  readonly #abort: CommandAbort;
  #log: ((message: string) => void) | undefined;
  #redact: ((value: string) => void) | undefined;
  #onAbort: ((listener: (reason: unknown) => void) => () => void) | undefined;
  constructor(
    readonly taskData: Record<string, unknown>,
    run: Run,
    abort: CommandAbort,
    readonly deadline: number,
    readonly config: Readonly<Record<string, unknown>>,
    readonly services: unknown,
    readonly task: TaskInfo,
  ) {
    this.#run = run;
    this.#abort = abort;
  }

  // log, redact and onAbort are bound on first read, so `const { log } = context` works and a
  // command that reads none of them costs no closure.
  get log(): (message: string) => void {
    this.#log ??= (message) => this.#run.add(message);
    return this.#log;
  }

  get redact(): (value: string) => void {
    this.#redact ??= (value) => this.#run.secrets.addValue(value);
    return this.#redact;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get onAbort(): (listener: (reason: unknown) => void) => () => void {
    this.#onAbort ??= (listener) => this.#abort.onAbort(listener);
    return this.#onAbort;
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

/** The proxy's deadline, or the command's own when shorter; invalid values fall back to the default. */
function deadlineOf(own: number | undefined, proxy: number | undefined): number {
  const bound = isPositive(proxy) ? proxy : DEFAULT_TIMEOUT_MS;
  return Math.min(isPositive(own) ? Math.min(own, bound) : bound, MAX_TIMER_MS);
}

/** A background deadline: the given one, cut to what a timer can wait. */
function boundOf(ms: number | undefined): number {
  return Math.min(isPositive(ms) ? ms : DEFAULT_TIMEOUT_MS, MAX_TIMER_MS);
}

function isPositive(value: number | undefined): value is number {
  return typeof value === 'number' && value > 0;
}

interface Bound {
  args: Record<string, unknown>;
  problems: string[];
  unknown: string[];
}

type DeclaredParam = Command['params'][string];

/** A command's parameters as binding walks them, made at its first invocation. */
interface ParamPlan {
  declared: readonly { id: string; param: DeclaredParam }[];
  ids: ReadonlySet<string>;
  secretIds: readonly string[];
}

/**
 * One plan per parameter record, read at a command's first invocation (a command's parameters do
 * not change after defineCommand): a list walked with named loads instead of a for-in over the
 * record with a lookup of each key in two objects.
 */
const plans = new WeakMap<object, ParamPlan>();

function planOf(params: Command['params']): ParamPlan {
  let plan = plans.get(params);
  if (plan === undefined) {
    const declared = Object.keys(params).map((id) => ({ id, param: params[id] as DeclaredParam }));
    const secretIds = declared.filter((d) => d.param.isSecret).map((d) => d.id);
    plan = { declared, ids: new Set(declared.map((d) => d.id)), secretIds };
    plans.set(params, plan);
  }
  return plan;
}

/** Checks every declared parameter and collects every problem, so the author fixes all at once. */
function bindParams(plan: ParamPlan, body: Record<string, unknown>): Bound {
  const args: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const { id, param: p } of plan.declared) {
    // Only an own member counts (never one of Object.prototype's); most parameters are absent.
    let raw = body[id];
    if (raw !== undefined && !Object.hasOwn(body, id)) raw = undefined;
    if (raw === undefined || raw === null) {
      // A copy, so a run that changes an object default cannot change it for the next request.
      if (p.hasDefault) define(args, id, copyOf(p.defaultValue));
      else if (!p.required) define(args, id, undefined);
      else problems.push(`${id} is required`);
      continue;
    }
    const checked = p.check(raw);
    if (checked.ok) define(args, id, checked.value);
    else problems.push(...describeProblems(id, checked.problems ?? [{ path: [], message: checked.problem }]));
  }
  const unknown: string[] = [];
  for (const key of Object.keys(body)) {
    if (!key.startsWith(RESERVED_PREFIX) && !plan.ids.has(key)) unknown.push(key);
  }
  return { args, problems, unknown };
}

/** An own property even for a declared "__proto__", which assignment would take as the prototype. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
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
  const info: TaskInfo = {};
  const callbackUrl = textOf(body[RequestKey.callbackUrl]);
  const processInstanceId = textOf(body[RequestKey.processInstanceId]);
  const processModelIdentifier = textOf(body[RequestKey.processModelIdentifier]);
  const taskId = textOf(body[RequestKey.taskId]);
  if (callbackUrl !== undefined) info.callbackUrl = callbackUrl;
  if (processInstanceId !== undefined) info.processInstanceId = processInstanceId;
  if (processModelIdentifier !== undefined) info.processModelIdentifier = processModelIdentifier;
  if (taskId !== undefined) info.taskId = taskId;
  return info;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
