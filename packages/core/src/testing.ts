/**
 * The test kit for connector authors: run a command as the proxy would and get its envelope,
 * build a fake context to call `run` directly in a unit test, or check that the listing tells
 * users what they need.
 */
import { type Command, type CommandContext, isCommand, type TaskInfo } from './command.js';
import { ErrorCode } from './errors.js';
import type { Failure, Invocation } from './invocation.js';
import { DEFAULT_TIMEOUT_MS, invoke } from './invoke.js';
import { type EnvelopeV2, RequestKey, type WireError, type WireParameter } from './protocol.js';
import type { Registry, Target } from './registry.js';
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

/** Options of {@link listingProblems}. */
export interface ListingCheckOptions {
  /**
   * The connector's README: every error code a command declares must have a row in a table of
   * it, `| \`Code\` | ...` (`HttpError<status>` stands for every `HttpError<n>`).
   */
  readme?: string;
  /** Codes documented elsewhere (the proxy's own README), not in the connector's. */
  documentedElsewhere?: readonly string[];
  /**
   * Entries the listing must match (SpiffArena's catalog, the Python connector's listing): the
   * same command ids in the same order, and each entry's parameters first, in its order, with
   * only optional parameters after them.
   */
  reference?: readonly { id: string; parameters: readonly WireParameter[] }[];
}

/**
 * What a registry's listing lacks for the people who use it, one sentence each; empty when
 * nothing. Every command must have a description, a described result with a schema and at
 * least one error code; the options add the README and reference checks. For a test:
 * `assert.deepEqual(listingProblems(createRegistry([connector]), { readme }), [])`.
 */
export function listingProblems(registry: Registry, options: ListingCheckOptions = {}): string[] {
  const problems: string[] = [];
  const elsewhere = new Set(options.documentedElsewhere ?? [ErrorCode.ProxyShuttingDown]);
  const detailed = registry.list({ detailed: true });
  for (const entry of detailed) {
    if (!entry.description) problems.push(`${entry.id} has no description`);
    if (!entry.result?.description) problems.push(`${entry.id} does not describe its result`);
    if (!entry.result?.schema) problems.push(`${entry.id} has no result schema`);
    if ((entry.errors?.length ?? 0) === 0) problems.push(`${entry.id} lists no error codes`);
    if (options.readme === undefined) continue;
    for (const { code } of entry.errors ?? []) {
      if (elsewhere.has(code)) continue;
      const row = /^HttpError\d+$/.test(code) ? 'HttpError<status>' : code;
      if (!hasTableRow(options.readme, row)) problems.push(`${entry.id}: the README has no error table row for ${row}`);
    }
  }
  if (options.reference) {
    const ids = detailed.map((entry) => entry.id);
    const expected = options.reference.map((entry) => entry.id);
    if (ids.join('\n') !== expected.join('\n')) {
      problems.push(`the commands are ${ids.join(', ')}; the reference lists ${expected.join(', ')}`);
    }
    const plain = new Map(registry.list().map((entry) => [entry.id, entry]));
    for (const reference of options.reference) {
      const ours = plain.get(reference.id);
      if (!ours) continue;
      reference.parameters.forEach((parameter, i) => {
        const given = ours.parameters[i];
        if (
          !given ||
          given.id !== parameter.id ||
          given.type !== parameter.type ||
          given.required !== parameter.required
        ) {
          const found = given ? `${given.id} (${given.type}, ${given.required ? 'required' : 'optional'})` : 'nothing';
          problems.push(
            `${reference.id}: parameter ${i + 1} should be ${parameter.id} (${parameter.type}, ${parameter.required ? 'required' : 'optional'}), is ${found}`,
          );
        }
      });
      for (const extra of ours.parameters.slice(reference.parameters.length)) {
        if (extra.required) problems.push(`${reference.id}: ${extra.id} is an extra, so it must be optional`);
      }
    }
  }
  return problems;
}

function hasTableRow(readme: string, code: string): boolean {
  const cell = `\`${code}\``;
  return readme.split('\n').some((line) => /^\|\s*`/.test(line) && line.replace(/^\|\s*/, '').startsWith(cell));
}
