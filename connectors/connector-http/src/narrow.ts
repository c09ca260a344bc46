import { CommandError, ErrorCode, isExactNumber, isJsonObject, kindOf } from '@connector-proxy/core';

/** The error for a parameter value the command cannot use; never quotes the value (it may be a secret). */
export function invalidParameter(message: string): CommandError {
  return new CommandError(ErrorCode.InvalidParameters, message, { httpStatus: 400 });
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * Reads the `headers` parameter: an object of header names to text. Numbers and booleans are
 * written out, null values are left out (as `requests` does), anything else is refused.
 */
export function toHeaderEntries(value: unknown): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!isJsonObject(value)) {
    throw invalidParameter(`headers must be an object of header names to values, got ${kindOf(value)}`);
  }
  const entries: [string, string][] = [];
  for (const [name, raw] of Object.entries(value)) {
    if (!TOKEN.test(name)) throw invalidParameter(`headers: ${JSON.stringify(name)} is not a valid header name`);
    if (raw === null) continue;
    const text = toScalarText(raw);
    if (text === undefined) throw invalidParameter(`headers.${name} must be text, got ${kindOf(raw)}`);
    const problem = toHeaderValueProblem(text);
    if (problem) throw invalidParameter(`headers.${name} ${problem}`);
    entries.push([name, text]);
  }
  return entries;
}

/**
 * What HTTP cannot carry in a header value, which would otherwise fail deep in the HTTP client:
 * line breaks (header injection), other control characters, and characters above U+00FF (a
 * header is Latin-1 on the wire; Python's `requests` fails there with UnicodeEncodeError).
 */
function toHeaderValueProblem(text: string): string | undefined {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0x0a || code === 0x0d) return 'must not contain line breaks';
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return 'must not contain control characters';
    if (code > 0xff) {
      return 'must contain only Latin-1 characters (U+0000 to U+00FF); encode other text, for example percent-encoded';
    }
  }
  return undefined;
}

/**
 * Reads an object of names to values as `requests` encodes `params=` and form `data=`: text,
 * numbers and booleans (Python spelling, `True`), lists repeat the name, null values are left out.
 */
export function toPairs(value: unknown, paramId: string): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!isJsonObject(value))
    throw invalidParameter(`${paramId} must be an object of names to values, got ${kindOf(value)}`);
  const pairs: [string, string][] = [];
  for (const [name, raw] of Object.entries(value)) {
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      if (item === null) continue;
      const text = toScalarText(item);
      if (text === undefined) {
        throw invalidParameter(
          `${paramId}.${name} must be text, a number, a boolean or a list of them, got ${kindOf(item)}`,
        );
      }
      pairs.push([name, text]);
    }
  }
  return pairs;
}

/** Reads `data` for `body_format` "raw": it is sent as it is, so it must be text. */
export function toRawText(value: unknown): string {
  if (typeof value !== 'string')
    throw invalidParameter(`data must be text when body_format is "raw", got ${kindOf(value)}`);
  return value;
}

/** A scalar as Python's `str()` writes it (what `requests` puts on the wire); undefined for non-scalars. */
function toScalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // Python's str() of an int writes every digit; an exact number keeps the ones it was sent with.
  if (isExactNumber(value)) return value.value;
  return undefined;
}
