import { DEFAULT_MAX_WRITE_DEPTH, parseJson, stringifyJson } from '@connector-proxy/core';

/**
 * How jobs are written to a store and read back. Request bodies pass through unchanged, so
 * numbers stay exact (core's lossless JSON). A record wraps a request body that may itself nest
 * to the request bound, so it is read back with the bound for written JSON.
 */
export function encode(value: unknown): string {
  return stringifyJson(value);
}

/** Parses what {@link encode} wrote; throws on text that is not such JSON. */
export function decode(text: string): unknown {
  const parsed = parseJson(text, { maxDepth: DEFAULT_MAX_WRITE_DEPTH });
  if (!parsed.ok) throw new SyntaxError(`the record is ${parsed.problem}`);
  return parsed.value;
}
