import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, isJsonObject, parseJson } from '@connector-proxy/core';
import { UsageError } from './args.js';

/** Where `run` takes parameter values from, lowest precedence first. */
export interface ParamSources {
  file?: string | undefined;
  json?: string | undefined;
  pairs?: readonly string[] | undefined;
}

/**
 * Builds a request body from `--file`, `--json` and `--param k=v` (later ones win, key by key).
 * A `k=v` value stays text, as a diagram's would be, except for an `any` parameter, where JSON
 * text (an object, a list, a number) is parsed.
 */
export async function readParams(
  command: Command,
  sources: ParamSources,
  cwd: string,
): Promise<Record<string, unknown>> {
  // Own data properties only (spread, defineProperty): a "__proto__" key stays a plain key.
  let body: Record<string, unknown> = {};
  if (sources.file !== undefined) {
    const path = resolve(cwd, sources.file);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    body = { ...body, ...parseObject(text, `--file ${sources.file}`) };
  }
  if (sources.json !== undefined) body = { ...body, ...parseObject(sources.json, '--json') };
  for (const pair of sources.pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param needs NAME=VALUE, got ${JSON.stringify(pair)}`);
    const name = pair.slice(0, at);
    const text = pair.slice(at + 1);
    const value =
      Object.hasOwn(command.params, name) && command.params[name]?.type === 'any' ? parseLoosely(text) : text;
    Object.defineProperty(body, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return body;
}

/** Parses JSON text that must be an object (parameters, task data), numbers exact as the server reads them. */
export function parseObject(text: string, what: string): Record<string, unknown> {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new UsageError(`${what} is ${parsed.problem}`);
  if (!isJsonObject(parsed.value)) throw new UsageError(`${what} must be a JSON object ({...})`);
  return parsed.value;
}

function parseLoosely(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : text;
}
