/**
 * The test kit for connector authors: run a command as the proxy would and get its envelope,
 * or build a fake context to call `run` directly in a unit test.
 */
import { type Command, type CommandContext, isCommand, type TaskInfo } from './command.js';
import type { Failure, Invocation } from './invocation.js';
import { DEFAULT_TIMEOUT_MS, invoke } from './invoke.js';
import { type EnvelopeV2, RequestKey, type WireError } from './protocol.js';
import type { Target } from './registry.js';
import { NO_HOST, resolveConfig, secretConfigValues } from './services.js';
import { failureOf, toCallbackEnvelope } from './wire.js';

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  /** Sent as `spiff__task_data`; when left out, one given among the params is kept. */
  taskData?: Record<string, unknown>;
  /** Sent as the other reserved keys (`spiff__callback_url` ...). */
  task?: TaskInfo;
  timeoutMs?: number;
  config?: Readonly<Record<string, unknown>>;
  signal?: AbortSignal;
}

/** What {@link runCommand} hands back: the envelope plus its parts, for short assertions. */
export interface CommandRun {
  invocation: Invocation;
  /** The version-2 envelope (for a legacy result, the one its callback would carry). */
  envelope: EnvelopeV2;
  /** `command_response.body`, or the legacy response text. */
  body: unknown;
  error: WireError | null;
  logs: readonly string[];
  failure: Failure | null;
}

/**
 * Runs a command through `invoke()`, exactly as the proxy does for a request body. Give a target
 * (`registry.target(...)` of a started registry) for a command that uses its connector's services.
 */
export async function runCommand(
  command: Command | Target,
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
  const invocation =
    isCommand(command) && command.services
      ? await invokeWithServices(command, body, invokeOptions)
      : await invoke(command, body, invokeOptions);
  const envelope = toCallbackEnvelope(invocation);
  return {
    invocation,
    envelope,
    body: envelope.command_response.body,
    error: envelope.error,
    logs: envelope.spiff__logs,
    failure: failureOf(invocation),
  };
}

/**
 * A bare command that names its connector's services: `config` is read as that connector's
 * settings (checked as at startup, so a bad value throws), `setup` runs before and `close` after.
 */
async function invokeWithServices(
  command: Command,
  body: Record<string, unknown>,
  options: Omit<RunCommandOptions, 'taskData' | 'task'>,
): Promise<Invocation> {
  const definition = command.services;
  const { config: given = {}, ...invokeOptions } = options;
  const values = Object.fromEntries(Object.entries(given).map(([key, value]) => [key, String(value)]));
  const config = resolveConfig('test', definition?.config, values);
  const services = definition?.setup ? await definition.setup(config, NO_HOST) : undefined;
  try {
    const target: Target = {
      id: 'test/Command',
      connector: 'test',
      name: 'Command',
      command,
      config,
      services,
      secrets: secretConfigValues(definition?.config, config),
    };
    return await invoke(target, body, invokeOptions);
  } finally {
    await definition?.close?.(services);
  }
}

/** A context for calling `run` directly; `logs` collects what the command logged, `redacted` what it registered. */
export interface FakeContext<S = unknown> extends CommandContext<S> {
  logs: string[];
  redacted: string[];
}

/** Builds a {@link FakeContext}; pass what the test cares about. */
export function createFakeContext<S = undefined>(
  overrides: {
    taskData?: Record<string, unknown>;
    config?: Readonly<Record<string, unknown>>;
    services?: S;
    signal?: AbortSignal;
    deadline?: number;
    task?: TaskInfo;
  } = {},
): FakeContext<S | undefined> {
  const logs: string[] = [];
  const redacted: string[] = [];
  const signal = overrides.signal ?? new AbortController().signal;
  return {
    logs,
    redacted,
    services: overrides.services,
    redact: (value) => {
      redacted.push(value);
    },
    taskData: overrides.taskData ?? {},
    log: (message) => {
      logs.push(message);
    },
    signal,
    onAbort: (listener) => {
      if (signal.aborted) {
        listener(signal.reason);
        return () => {};
      }
      const handler = () => listener(signal.reason);
      signal.addEventListener('abort', handler, { once: true });
      return () => signal.removeEventListener('abort', handler);
    },
    deadline: overrides.deadline ?? Date.now() + DEFAULT_TIMEOUT_MS,
    config: overrides.config ?? {},
    task: overrides.task ?? {},
  };
}
