import type { ParamShape, ParamsOf } from './param.js';
import type { ResultFields } from './protocol.js';

/** What the backend tells a command about the task that runs it (the `spiff__` keys). */
export interface TaskInfo {
  callbackUrl?: string;
  processInstanceId?: string;
  processModelIdentifier?: string;
  taskId?: string;
}

/** Everything a running command may use besides its parameters. */
export interface CommandContext {
  /** The task's data (`spiff__task_data`), `{}` when not sent. */
  taskData: Record<string, unknown>;
  /** Adds a line to `spiff__logs`; values of secret parameters are masked. */
  log(message: string): void;
  /** Aborts at the command's deadline (or when the proxy shuts down): pass it to I/O. */
  signal: AbortSignal;
  /** When `signal` aborts, in epoch milliseconds: a retrying command must not plan waits past it. */
  deadline: number;
  /** The proxy's configuration for this connector (`CONNECTOR_<NAME>_<KEY>` variables). */
  config: Readonly<Record<string, string>>;
  /** The other reserved keys of the request. */
  task: TaskInfo;
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

/** The declaration handed to {@link defineCommand}. */
export interface CommandDefinition<P extends ParamShape> {
  /** One sentence for the editor and `connector-proxy list`. */
  description?: string;
  /** Parameter declarations by wire id, in the order the editor shows them. */
  params: P;
  /** A deadline of its own, below the proxy's default; the proxy's bound still applies. */
  timeoutMs?: number;
  /** Does the work; throw `CommandError` for expected failures. */
  run(params: ParamsOf<P>, context: CommandContext): Promise<CommandOutput> | CommandOutput;
}

const COMMAND = Symbol.for('connector-proxy.command');

/** A defined command, as connectors export it. */
export interface Command<P extends ParamShape = ParamShape> extends CommandDefinition<P> {
  readonly [COMMAND]: true;
}

/** Declares a command; exists so the arguments of `run` are inferred from `params`. */
export function defineCommand<P extends ParamShape>(definition: CommandDefinition<P>): Command<P> {
  return Object.freeze({ ...definition, [COMMAND]: true as const });
}

/** True for a value made by {@link defineCommand} (also by another copy of this package). */
export function isCommand(value: unknown): value is Command {
  return typeof value === 'object' && value !== null && COMMAND in value;
}

/** True when a command returned the legacy version-1 shape: `response` and no `body`. */
export function isLegacyResult(output: object): output is LegacyResult {
  return !('body' in output) && 'response' in output;
}
