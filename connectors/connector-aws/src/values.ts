// The light part of the SDK: the number type its marshalling knows (lib-dynamodb re-exports it).
import { NumberValueImpl as NumberValue } from '@aws-sdk/util-dynamodb';
import { CommandError, ErrorCode, isPlainObject } from '@connector-proxy/core';

/** DynamoDB's own nesting bound; deeper documents are refused before anything is sent. */
const MAX_DEPTH = 32;

/**
 * A JSON value from a diagram as the document client takes it: every number becomes a
 * `NumberValue` holding its text, so floats at any depth (Python converts only top-level ones)
 * and numbers beyond 2^53 that arrive exact (as lossless-json's `LosslessNumber`) go to DynamoDB
 * as the `N` they spell, never through a double.
 */
export function toDynamoValue(value: unknown, path: string, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw invalid(`${path} is nested deeper than DynamoDB's ${MAX_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(`${path} must be a finite number`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw invalid(`${path} is an integer beyond 2^53 that was already rounded; send it as text`);
    }
    return NumberValue.from(String(value));
  }
  if (typeof value === 'bigint') return NumberValue.from(value.toString());
  const exact = exactNumberText(value);
  if (exact !== undefined) return NumberValue.from(exact);
  if (Array.isArray(value)) return value.map((member, index) => toDynamoValue(member, `${path}[${index}]`, depth + 1));
  if (isPlainObject(value)) return toDynamoMap(value, path, depth + 1);
  throw invalid(`${path} is not a JSON value`);
}

/** A JSON object as a DynamoDB map (an item at the top), each member through {@link toDynamoValue}. */
export function toDynamoMap(value: Record<string, unknown>, path: string, depth = 0): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [key, toDynamoValue(member, `${path}.${key}`, depth)]),
  );
}

/** The text of an exact number (lossless-json's `LosslessNumber`, which core uses for big numbers). */
function exactNumberText(value: unknown): string | undefined {
  return isPlainObjectLike(value) && value.isLosslessNumber === true && typeof value.value === 'string'
    ? value.value
    : undefined;
}

function isPlainObjectLike(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** An `InvalidParameters` failure with http_status 400. */
export function invalid(problem: string): CommandError {
  return new CommandError(ErrorCode.InvalidParameters, `invalid parameters: ${problem}`, { httpStatus: 400 });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * True for base64 text (whitespace already removed) that decodes without loss: padding may be
 * left out, and surplus padding after a whole group is ignored, as Python's b64decode does.
 */
export function isBase64(text: string): boolean {
  return BASE64.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Serializes a DynamoDB answer as Python's `json.dumps`/`simplejson.dumps` write it (`", "` and
 * `": "`, non-ASCII as `\uXXXX`), with each number exactly as DynamoDB sent it. Where Python
 * fails (sets, binary), sets become lists and binary becomes base64 text.
 */
export function toPythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof NumberValue) {
    const text = value.toString();
    return JSON_NUMBER.test(text) ? text : quote(text);
  }
  if (value instanceof Uint8Array) return quote(Buffer.from(value).toString('base64'));
  if (value instanceof Set) return toPythonJson([...value]);
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(', ')}]`;
  if (isPlainObjectLike(value)) {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${quote(key)}: ${toPythonJson(member)}`);
    return `{${members.join(', ')}}`;
  }
  return quote(String(value));
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Python's ensure_ascii quoting: everything outside printable ASCII becomes `\uXXXX` (UTF-16 units). */
function quote(text: string): string {
  const escaped = text.replace(
    /[\\"]|[^ -~]/g,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}
