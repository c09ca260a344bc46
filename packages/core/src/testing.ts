/**
 * The test kit for connector authors: run a command as the proxy would and get its envelope,
 * or build a fake context to call `run` directly in a unit test.
 */
import type { Command, CommandContext, TaskInfo } from './command.js';
import { DEFAULT_TIMEOUT_MS, type Failure, type Invocation, invoke } from './invoke.js';
import { type EnvelopeV2, RequestKey, type WireError } from './protocol.js';

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Sent as `spiff__task_data`; when left out, one given among the params is kept. */
  taskData?: Record<string, unknown>;
  /** Sent as the other reserved keys (`spiff__callback_url` ...). */
  task?: TaskInfo;
  timeoutMs?: number;
  config?: Record<string, string>;
  signal?: AbortSignal;
}

/** What {@link runCommand} hands back: the envelope plus its parts, for short assertions. */
export interface CommandRun {
  invocation: Invocation;
  /** The version-2 envelope (for a legacy result, one built from it for convenience). */
  envelope: EnvelopeV2;
  /** `command_response.body`, or the legacy response text. */
  body: unknown;
  error: WireError | null;
  logs: readonly string[];
  failure: Failure | null;
}

/** Runs a command through `invoke()`, exactly as the proxy does for a request body. */
export async function runCommand(
  command: Command,
  params: Record<string, unknown>,
  options: RunCommandOptions = {},
): Promise<CommandRun> {
  const { taskData, task = {}, ...invokeOptions } = options;
  const body: Record<string, unknown> = { ...params };
  if (taskData !== undefined) body[RequestKey.taskData] = taskData;
  if (task.callbackUrl !== undefined) body[RequestKey.callbackUrl] = task.callbackUrl;
  if (task.processInstanceId !== undefined) body[RequestKey.processInstanceId] = task.processInstanceId;
  if (task.processModelIdentifier !== undefined) body[RequestKey.processModelIdentifier] = task.processModelIdentifier;
  if (task.taskId !== undefined) body[RequestKey.taskId] = task.taskId;
  const invocation = await invoke(command, body, invokeOptions);
  if (invocation.kind === 'v1') {
    const { answer, logs } = invocation;
    const envelope: EnvelopeV2 = {
      command_response: { body: answer.body, mimetype: answer.mimetype, http_status: answer.status },
      error: null,
      command_response_version: 2,
      spiff__logs: [...logs],
    };
    return { invocation, envelope, body: answer.body, error: null, logs, failure: null };
  }
  const { envelope, failure } = invocation;
  return {
    invocation,
    envelope,
    body: envelope.command_response.body,
    error: envelope.error,
    logs: envelope.spiff__logs,
    failure,
  };
}

/** A context for calling `run` directly; `logs` collects what the command logged. */
export interface FakeContext extends CommandContext {
  logs: string[];
}

/** Builds a {@link FakeContext}; pass what the test cares about. */
export function createFakeContext(
  overrides: {
    taskData?: Record<string, unknown>;
    config?: Record<string, string>;
    signal?: AbortSignal;
    deadline?: number;
    task?: TaskInfo;
  } = {},
): FakeContext {
  const logs: string[] = [];
  return {
    logs,
    taskData: overrides.taskData ?? {},
    log: (message) => {
      logs.push(message);
    },
    signal: overrides.signal ?? new AbortController().signal,
    deadline: overrides.deadline ?? Date.now() + DEFAULT_TIMEOUT_MS,
    config: overrides.config ?? {},
    task: overrides.task ?? {},
  };
}
