import type { ParamShape, ParamsOf } from './param.js';
import type { ResultFields } from './protocol.js';
import type { ConfigOf, ConfigShape, ServiceDefinition } from './services.js';

/** What the backend tells a command about the task that runs it (the `spiff__` keys). */
export interface TaskInfo {
  callbackUrl?: string;
  processInstanceId?: string;
  processModelIdentifier?: string;
  taskId?: string;
}

/** Everything a running command may use besides its parameters. */
export interface CommandContext<S = unknown, C = Readonly<Record<string, unknown>>> {
  /** The task's data (`spiff__task_data`), `{}` when not sent. */
  taskData: Record<string, unknown>;
  /** Adds a line to `spiff__logs`; secrets are masked. */
  log(message: string): void;
  /** Aborts at the command's deadline (or when the proxy shuts down): pass it to I/O. */
  signal: AbortSignal;
  /**
   * Calls `listener` with the abort reason when `signal` aborts (at once when it already has), and
   * returns the function that stops listening. Cheaper than the signal, which core builds only when
   * read (an AbortSignal and its listener cost about 10 us on Node 20): for a command that only
   * needs to stop its own work, e.g. destroy a socket. A listener that throws is reported as an
   * uncaught error, as an AbortSignal listener's would be.
   */
  onAbort(listener: (reason: unknown) => void): () => void;
  /** When `signal` aborts, in epoch milliseconds: a retrying command must not plan waits past it. */
  deadline: number;
  /** The connector's configuration, checked at startup (`CONNECTOR_<NAME>_<KEY>` variables). */
  config: Readonly<C>;
  /** What the connector's `setup` returned (pools, clients, agents); undefined without one. */
  services: S;
  /** The other reserved keys of the request. */
  task: TaskInfo;
  /**
   * Registers a value derived from a secret (a Basic auth header, a token, a URL's password): it is
   * masked, with its encodings, everywhere the answer leaves: logs, error message, body and headers.
   */
  redact(value: string): void;
}

/** A successful command result; becomes `command_response` of the version-2 envelope. */
export type CommandResult = ResultFields;

/** The legacy version-1 result of SpiffArena's "Writing a Connector" tutorial. */
export interface LegacyResult {
  response: unknown;
  status?: number;
  mimetype?: string;
}

/** What `run` may return. */
export type CommandOutput = CommandResult | LegacyResult;

/** A JSON Schema document (draft 2020-12), as plain data. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The declared shape of a successful result, for `?detailed=true`, OpenAPI and the docs. */
export interface ResultDeclaration {
  /** What the body holds, in one sentence. */
  description?: string;
  /** JSON Schema of `command_response.body` (or of the legacy `response`). */
  schema?: JsonSchema;
  /** The mimetype of the body when it is not `application/json`. */
  mimetype?: string;
}

/** How a long-running command runs in the background. */
export interface LongRunningOptions {
  /** Its background deadline; default one hour. */
  timeoutMs?: number;
}

/** The declaration handed to {@link defineCommand}. */
export interface CommandDefinition<P extends ParamShape, S = undefined, C extends ConfigShape = ConfigShape> {
  /** One sentence for the editor and `connector-proxy list`. */
  description?: string;
  /** The connector's services (configuration and lifecycle); types `context.services` and `context.config`. */
  services?: ServiceDefinition<C, S>;
  /** Parameter declarations by wire id, in the order the editor shows them. */
  params: P;
  /** A deadline of its own, below the proxy's default; the proxy's bound still applies. */
  timeoutMs?: number;
  /** May answer 202 and deliver its result to `spiff__callback_url` (see the long-running docs). */
  longRunning?: boolean | LongRunningOptions;
  /** Safe to run again from the start, e.g. after the proxy was killed while it ran. */
  idempotent?: boolean;
  /** The shape of a successful result. */
  result?: ResultDeclaration;
  /** The error codes it can answer with, each with a one-line meaning (BPMN error boundary events catch them). */
  errors?: Readonly<Record<string, string>>;
  /** Does the work; throw `CommandError` for expected failures. */
  run(params: ParamsOf<P>, context: CommandContext<S, ConfigOf<C>>): Promise<CommandOutput> | CommandOutput;
}

const COMMAND = Symbol.for('connector-proxy.command');

/** A defined command, as connectors export it. */
export interface Command<P extends ParamShape = ParamShape> {
  readonly [COMMAND]: true;
  readonly description?: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of every connector's services.
  readonly services?: ServiceDefinition<ConfigShape, any> | undefined;
  readonly params: P;
  readonly timeoutMs?: number | undefined;
  readonly longRunning?: boolean | LongRunningOptions | undefined;
  readonly idempotent?: boolean | undefined;
  readonly result?: ResultDeclaration | undefined;
  readonly errors?: Readonly<Record<string, string>> | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: the context's services and config are the connector's own.
  run(params: ParamsOf<P>, context: CommandContext<any, any>): Promise<CommandOutput> | CommandOutput;
}

/** Declares a command; exists so the arguments of `run` are inferred from `params` (and `services`). */
export function defineCommand<P extends ParamShape, S = undefined, C extends ConfigShape = ConfigShape>(
  definition: CommandDefinition<P, S, C>,
): Command<P> {
  return Object.freeze({ ...definition, [COMMAND]: true as const }) as Command<P>;
}

/** True for a value made by {@link defineCommand} (also by another copy of this package). */
export function isCommand(value: unknown): value is Command {
  return typeof value === 'object' && value !== null && COMMAND in value;
}

/** True when a command returned the legacy version-1 shape: `response` and no `body`. */
export function isLegacyResult(output: object): output is LegacyResult {
  return !('body' in output) && 'response' in output;
}

/** The background deadline of a long-running command, or undefined when it is not one. */
export function longRunningTimeoutMs(command: Command): number | undefined {
  const declared = command.longRunning;
  if (!declared) return undefined;
  const own = typeof declared === 'object' ? declared.timeoutMs : undefined;
  return typeof own === 'number' && own > 0 ? own : DEFAULT_LONG_RUNNING_TIMEOUT_MS;
}

/** A long-running command's background deadline unless it declares its own: one hour. */
export const DEFAULT_LONG_RUNNING_TIMEOUT_MS = 3_600_000;
