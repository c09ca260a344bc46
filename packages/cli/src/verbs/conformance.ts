import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  type ConformanceCase,
  formatResult,
  formatSummary,
  parseBaseline,
  parseCases,
  runConformance,
} from '@connector-proxy/conformance';
import { parseVerbArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';

export const CONFORMANCE_HELP = `Usage: connector-proxy conformance <base-url> [options]

Checks any running connector proxy (ours, the Python one, your own) against the SpiffArena
connector proxy protocol, and reads every answer exactly as SpiffArena's backend does. One line
per check: PASS, FAIL (a MUST of the protocol), WARN (a SHOULD) or SKIP, why, and what the
backend would do with the answer; then "N passed, M failed".

Options:
  --api-key KEY            the proxy's API key; also checks that a request without it, or with a
                           wrong one, gets 401 (without it, an open proxy is a warning)
  --callback               run a callback endpoint on 127.0.0.1 that checks PUTs as SpiffArena does
                           (Authorization: Bearer or SpiffWorkflow-Api-Key; JSON; command_response.body)
  --callback-port PORT     its port (default: a free one), to allow-list its origin on the proxy
  --callback-api-key KEY   the SpiffWorkflow-Api-Key the proxy must send (default: any)
  --callback-token TOKEN   the Authorization: Bearer token the proxy must send (default: any)
  --long-running ID        drive this connector/Command through 202 and the callback (implies --callback)
  --param NAME=VALUE       a parameter of the long-running command (repeatable; read as its listed type)
  --callback-timeout SECS  how long to wait for the callback (default 60)
  --case FILE              cases of your own (repeatable): JSON {"name", "command", "params",
                           "expect": {"outcome": "result"|"error"|"waiting", "errorCode", "status", "result"}}
  --baseline FILE          expected failures: one check id a line (or a JSON list); they do not fail
                           the run, and those that pass are reported so the baseline can shrink
  --command ID             exercise only this listed command (repeatable; default: every one)
  --timeout SECS           per request (default 45, the backend's own)
  --json                   print the results as one JSON document
  -h, --help               show this help

The kit calls each listed command without its required parameters and with wrongly typed values:
a proxy that does not validate may run commands with them, so point it at a test deployment or
limit it with --command.

Exit code: 0 when no check failed (warnings do not fail), 1 otherwise, 2 when called wrongly.

Examples:
  connector-proxy conformance http://127.0.0.1:7004
  connector-proxy conformance http://127.0.0.1:7004 --api-key "$KEY" --baseline conformance-baseline.txt
  connector-proxy conformance http://127.0.0.1:7004 --callback-port 7011 --long-running example/Wait --param seconds=2
`;

/** `connector-proxy conformance`: runs the conformance kit against a proxy at a URL. */
export async function conformanceVerb(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseVerbArgs(
    args,
    {
      'api-key': { type: 'string' },
      callback: { type: 'boolean' },
      'callback-port': { type: 'string' },
      'callback-api-key': { type: 'string' },
      'callback-token': { type: 'string' },
      'long-running': { type: 'string' },
      param: { type: 'string', multiple: true },
      'callback-timeout': { type: 'string' },
      case: { type: 'string', multiple: true },
      baseline: { type: 'string' },
      command: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(CONFORMANCE_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'which proxy? e.g. conformance http://127.0.0.1:7004' : 'give one base URL',
    );
  }
  const baseUrl = positionals[0] ?? '';
  if (!/^https?:\/\/[^/]/.test(baseUrl))
    throw new UsageError(`the base URL must start with http:// or https://, got ${JSON.stringify(baseUrl)}`);
  if (values.param && !values['long-running']) throw new UsageError('--param goes with --long-running');
  if (values['api-key'] === '') throw new UsageError('--api-key is empty');

  const port =
    values['callback-port'] === undefined
      ? undefined
      : readNumber(values['callback-port'], '--callback-port', 0, 65_535);
  const callbackWanted =
    values.callback ||
    values['long-running'] !== undefined ||
    port !== undefined ||
    values['callback-api-key'] !== undefined ||
    values['callback-token'] !== undefined;
  const cases: ConformanceCase[] = [];
  for (const file of values.case ?? []) cases.push(...asUsage(parseCases, await readText(io, file, '--case'), file));
  const baseline =
    values.baseline === undefined
      ? undefined
      : asUsage(parseBaseline, await readText(io, values.baseline, '--baseline'), values.baseline);

  const stop = new AbortController();
  void io.stopped.then(() => stop.abort());
  const results = await runConformance({
    baseUrl,
    apiKey: values['api-key'],
    callback: callbackWanted
      ? {
          ...(port !== undefined ? { port } : {}),
          ...(values['callback-api-key'] !== undefined ? { apiKey: values['callback-api-key'] } : {}),
          ...(values['callback-token'] !== undefined ? { bearerToken: values['callback-token'] } : {}),
        }
      : undefined,
    longRunning:
      values['long-running'] === undefined
        ? undefined
        : { command: values['long-running'], params: readPairs(values.param ?? []) },
    cases,
    baseline,
    commands: values.command,
    timeoutMs: values.timeout === undefined ? undefined : readNumber(values.timeout, '--timeout', 1, 3_600) * 1000,
    callbackTimeoutMs:
      values['callback-timeout'] === undefined
        ? undefined
        : readNumber(values['callback-timeout'], '--callback-timeout', 1, 86_400) * 1000,
    onResult: values.json ? undefined : (result) => io.stdout(`${formatResult(result)}\n`),
    signal: stop.signal,
  });
  io.stdout(values.json ? `${JSON.stringify(results, null, 2)}\n` : formatSummary(results));
  return results.ok ? 0 : 1;
}

/** A mistake in a file the user wrote is a usage mistake: one line, exit code 2. */
function asUsage<T>(parse: (text: string, source: string) => T, text: string, source: string): T {
  try {
    return parse(text, source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.startsWith(source) ? message : `${source}: ${message}`);
  }
}

function readNumber(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`${option} must be a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function readPairs(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param needs NAME=VALUE, got ${JSON.stringify(pair)}`);
    Object.defineProperty(params, pair.slice(0, at), {
      value: pair.slice(at + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return params;
}

async function readText(io: Io, file: string, option: string): Promise<string> {
  const path = resolve(io.cwd, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${option}: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
