import {
  errorCodeOf,
  type Invocation,
  invoke,
  parseJson,
  RequestKey,
  stringifyJson,
  type Target,
  toWireResponse,
} from '@connector-proxy/core';
import { type Config, readConfig } from '@connector-proxy/server';
import { parseVerbArgs, UsageError } from '../args.js';
import { loadForIo } from '../connectors.js';
import type { Io } from '../io.js';
import { checkParamNames, findTarget } from '../lookup.js';
import { parseObject, readParams } from '../params.js';
import { detailedEntry, renderDescription } from './describe.js';

export const RUN_HELP = `Usage: connector-proxy run <connector/Command> [options]

Runs one command as the proxy would for a POST /v1/do/<connector>/<Command>, without a server.

Options:
  --param NAME=VALUE   a parameter (repeatable); for an "any" parameter VALUE may be JSON
  --json [OBJECT]      print the raw envelope as JSON; OBJECT, when given ('{"name": "x"}'),
                       holds parameters
  --file PATH          a JSON file holding an object of parameters
  --task-data OBJECT   the task's data (spiff__task_data), a JSON object
  -h, --help           show this help; with a command, its parameters and error codes

Later sources win: --file, then --json OBJECT, then each --param.
A parameter the command does not declare is refused, naming the closest declared ones.
On a terminal, "running <connector/Command>…" appears on stderr after a second.
Exit code: 0 when the command succeeded (its envelope's error is null), 1 otherwise.

Example:
  connector-proxy run example/Example --param message=hello
`;

/** `connector-proxy run`: one command, in-process; a readable summary or the raw envelope. */
export async function runVerb(args: string[], io: Io): Promise<number> {
  const { jsonParams, rest } = takeJsonObject(args);
  const { values, positionals } = parseVerbArgs(
    rest,
    {
      param: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      file: { type: 'string' },
      'task-data': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help && positionals.length !== 1) {
    io.stdout(RUN_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'which command? e.g. run example/Example' : 'run takes one command',
    );
  }
  const id = positionals[0] ?? '';
  const taskData = values['task-data'] === undefined ? {} : parseObject(values['task-data'], '--task-data');

  const config = readConfig(io.env);
  const { registry } = await loadForIo(io, config, { development: true });
  try {
    if (values.help) {
      // `run <id> --help`: what this command takes, then how to run it.
      io.stdout(`${renderDescription(detailedEntry(registry, id))}\n${RUN_HELP}`);
      return 0;
    }
    const target = findTarget(registry, id);
    const params = await readParams(
      target.command,
      { file: values.file, json: jsonParams, pairs: values.param },
      io.cwd,
    );
    checkParamNames(target, params);
    return await runTarget(target, params, taskData, values.json || jsonParams !== undefined, config, io);
  } finally {
    await registry.close();
  }
}

/** Runs the command, noting on a terminal that it is still running after a second. */
async function runTarget(
  target: Target,
  params: Record<string, unknown>,
  taskData: Record<string, unknown>,
  raw: boolean,
  config: Config,
  io: Io,
): Promise<number> {
  const stop = new AbortController();
  void io.stopped.then(() => stop.abort(new Error('interrupted')));
  const note = io.isTTY ? setTimeout(() => io.stderr(`running ${target.id}…\n`), RUNNING_NOTE_MS) : undefined;
  try {
    const invocation = await invoke(
      target,
      { ...params, [RequestKey.taskData]: taskData },
      { timeoutMs: config.commandTimeoutMs, signal: stop.signal },
    );
    io.stdout(raw ? rawOutput(invocation) : summarize(target.id, invocation));
    return errorCodeOf(invocation) === undefined ? 0 : 1;
  } finally {
    clearTimeout(note);
  }
}

/** How long a command runs before `run` says so (on a terminal). */
export const RUNNING_NOTE_MS = 1000;

/**
 * `--json` is a flag (raw output) that may be followed by an object of parameters; a command id
 * never starts with "{", so the two readings cannot be confused.
 */
function takeJsonObject(args: string[]): { jsonParams: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let jsonParams: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      rest.push(...args.slice(i));
      break;
    }
    const next = args[i + 1];
    if (arg === '--json' && next?.trimStart().startsWith('{')) {
      jsonParams = next;
      rest.push('--json');
      i++;
    } else if (arg.startsWith('--json=')) {
      jsonParams = arg.slice('--json='.length);
      rest.push('--json');
    } else {
      rest.push(arg);
    }
  }
  return { jsonParams, rest };
}

/** What the proxy would send: the version-2 envelope, or a legacy command's body. */
function rawOutput(invocation: Invocation): string {
  const { body } = toWireResponse(invocation);
  if (invocation.kind === 'v1' || body === null) return `${body ?? ''}\n`;
  return `${pretty(body)}\n`;
}

/** The readable summary: outcome, error, body and logs. */
export function summarize(id: string, invocation: Invocation): string {
  const lines: string[] = [];
  if (invocation.kind === 'v1') {
    const { status, mimetype, body } = invocation.answer;
    lines.push(`ok ${id} (legacy version 1 answer, HTTP ${status})`, `body (${mimetype}):`, indent(pretty(body)));
    appendLogs(lines, invocation.logs);
    return `${lines.join('\n')}\n`;
  }
  const { envelope } = invocation;
  const response = envelope.command_response;
  const status = response.http_status === undefined ? '' : ` (http_status ${response.http_status})`;
  if (envelope.error) {
    lines.push(`error ${id}${status}`, `  ${envelope.error.error_code}: ${envelope.error.message}`);
  } else {
    lines.push(`ok ${id}${status}`);
  }
  if ('body' in response && !(envelope.error && response.body === null)) {
    const text = typeof response.body === 'string' ? pretty(response.body) : prettyValue(response.body);
    lines.push(`body (${response.mimetype ?? 'application/json'}):`, indent(text));
  }
  if (response.headers && Object.keys(response.headers).length > 0) {
    lines.push('headers:', ...Object.entries(response.headers).map(([k, v]) => `  ${k}: ${v}`));
  }
  appendLogs(lines, envelope.spiff__logs);
  return `${lines.join('\n')}\n`;
}

function appendLogs(lines: string[], logs: readonly string[]): void {
  if (logs.length === 0) return;
  lines.push(`logs (${logs.length}):`, ...logs.map((line) => `  ${line}`));
}

/** JSON text re-indented, numbers exact; other text as it is. */
function pretty(text: string): string {
  const parsed = parseJson(text);
  return parsed.ok ? prettyValue(parsed.value) : text;
}

/** A value as indented JSON; one JSON cannot carry is described instead (the summary must not fail). */
function prettyValue(value: unknown): string {
  try {
    return stringifyJson(value, { indent: 2 });
  } catch (error) {
    return `(not JSON: ${error instanceof Error ? error.message : String(error)})`;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
