/**
 * Headers as plain data, with the semantics of the web `Headers` the connector used before (names
 * case-insensitive, values trimmed of HTTP whitespace, repeated answer headers joined with ", ",
 * request headers sent in name order), without building a `Headers` twice per call: an undici
 * `Headers` costs microseconds to fill and to read.
 */

/** Request headers by lower-case name, in name order: as they go on the wire. */
export type RequestHeaders = Readonly<Record<string, string>>;

/**
 * Sets a header on a record. A plain object (V8 keeps it fast, where a null-prototype one is a
 * slow dictionary), so a header called `__proto__` is defined as an own property, not assigned.
 */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  if (name === '__proto__')
    Object.defineProperty(headers, name, { value, writable: true, enumerable: true, configurable: true });
  else headers[name] = value;
}

/** The headers in name order, as `Headers` iterated them (and so as they were sent before). */
export function toSortedHeaders(headers: Readonly<Record<string, string>>): RequestHeaders {
  const names = Object.keys(headers);
  if (isSorted(names)) return headers;
  const sorted: Record<string, string> = {};
  for (const name of names.sort()) setHeader(sorted, name, headers[name] as string);
  return sorted;
}

function isSorted(names: readonly string[]): boolean {
  for (let index = 1; index < names.length; index += 1) {
    if ((names[index - 1] as string) > (names[index] as string)) return false;
  }
  return true;
}

const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;

function isHttpWhitespace(code: number): boolean {
  return code === SPACE || code === TAB || code === LINE_FEED || code === CARRIAGE_RETURN;
}

/** The value without leading and trailing HTTP whitespace, as `Headers` stores it. */
export function toHeaderValue(value: string): string {
  const last = value.length - 1;
  if (last < 0 || (!isHttpWhitespace(value.charCodeAt(0)) && !isHttpWhitespace(value.charCodeAt(last)))) return value;
  let start = 0;
  let end = last;
  while (start <= end && isHttpWhitespace(value.charCodeAt(start))) start += 1;
  while (end >= start && isHttpWhitespace(value.charCodeAt(end))) end -= 1;
  return value.slice(start, end + 1);
}

/**
 * The headers of an answer, read from node:http's `rawHeaders` (name, value, name, value...) only
 * when asked: a call reads two or three of them.
 */
export class AnswerHeaders {
  constructor(readonly raw: readonly string[]) {}

  /** Every value of the header, joined with ", " as `Headers.get` joins them; null when absent. */
  get(name: string): string | null {
    const { raw } = this;
    let joined: string | null = null;
    for (let index = 0; index + 1 < raw.length; index += 2) {
      const rawName = raw[index] as string;
      if (rawName.length !== name.length || rawName.toLowerCase() !== name) continue;
      const value = toHeaderValue(raw[index + 1] as string);
      joined = joined === null ? value : `${joined}, ${value}`;
    }
    return joined;
  }

  /** Every header by lower-case name, in name order, repeated ones joined (Set-Cookie too, as requests joins it). */
  toRecord(): Record<string, string> {
    const { raw } = this;
    const joined = new Map<string, string>();
    for (let index = 0; index + 1 < raw.length; index += 2) {
      const name = (raw[index] as string).toLowerCase();
      const value = toHeaderValue(raw[index + 1] as string);
      const before = joined.get(name);
      joined.set(name, before === undefined ? value : `${before}, ${value}`);
    }
    const record: Record<string, string> = {};
    for (const name of [...joined.keys()].sort()) record[name] = joined.get(name) as string;
    return record;
  }
}
