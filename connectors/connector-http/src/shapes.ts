/**
 * The shapes of connector-http's structured parameters, checked by core before a command runs:
 * headers, query params, and the ways `data` can be sent. The rules are those of Python's
 * `requests`: null values are left out, numbers and booleans are written as Python's str().
 */
import { type Coerced, isExactNumber, kindOf, param, shape } from '@connector-proxy/core';

/** A header name: an HTTP token (RFC 9110). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** The JSON Schema of a value `requests` writes with str(). */
const SCALAR_SCHEMA = { type: ['string', 'number', 'boolean'] };

/** A scalar as Python's `str()` writes it (what `requests` puts on the wire); undefined for non-scalars. */
function toScalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  // Python's str() of an int writes every digit; an exact number keeps the ones it was sent with.
  if (isExactNumber(value)) return value.value;
  return undefined;
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

function toHeaderValue(value: unknown): Coerced<string> {
  const text = toScalarText(value);
  if (text === undefined) return { ok: false, problem: `must be text, got ${kindOf(value)}` };
  const problem = toHeaderValueProblem(text);
  return problem === undefined ? { ok: true, value: text } : { ok: false, problem };
}

/** Header names to values; a null value is left out. */
export const headerRecord = param.record(
  shape
    .custom('str', toHeaderValue)
    .withSchema({ ...SCALAR_SCHEMA, description: 'Latin-1 text' })
    .optional(),
  {
    expected: 'an object of header names to values',
    key: (name) => (TOKEN.test(name) ? undefined : `: ${JSON.stringify(name)} is not a valid header name`),
  },
);

/** One name's values, as `requests` encodes `params=` and form `data=`: a list repeats the name. */
function toPairValues(value: unknown): Coerced<string[]> {
  const texts: string[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item === null) continue;
    const text = toScalarText(item);
    if (text === undefined) {
      return { ok: false, problem: `must be text, a number, a boolean or a list of them, got ${kindOf(item)}` };
    }
    texts.push(text);
  }
  return { ok: true, value: texts };
}

/** Names to values (text, numbers, booleans, or lists of them); null values are left out. */
export const pairRecord = param.record(
  shape
    .custom('any', toPairValues)
    .withSchema({ anyOf: [SCALAR_SCHEMA, { type: 'array', items: { anyOf: [SCALAR_SCHEMA, { type: 'null' }] } }] })
    .optional(),
  { expected: 'an object of names to values' },
);

/** `data` for body_format "raw": sent as it is, so it must be text. */
export const rawText = shape
  .custom('any', (value) =>
    typeof value === 'string'
      ? { ok: true, value }
      : { ok: false, problem: `must be text when body_format is "raw", got ${kindOf(value)}` },
  )
  .withSchema({ type: 'string' });

/** The pairs of a record of names to values, in order, a list giving one pair per item. */
export function toPairs(record: Readonly<Record<string, readonly string[]>> | undefined): [string, string][] {
  if (record === undefined) return [];
  return Object.entries(record).flatMap(([name, values]) => values.map((value): [string, string] => [name, value]));
}
