/**
 * How jobs are written to a store and read back. Request bodies pass through unchanged, so this
 * is the one place that must keep numbers exact when core's lossless JSON lands.
 */
export function encode(value: unknown): string {
  return JSON.stringify(value);
}

/** Parses what {@link encode} wrote. */
export function decode(text: string): unknown {
  return JSON.parse(text);
}
