/**
 * Values in and out of PostgreSQL, JSON-safe both ways. Bound values go as text parameters
 * (objects as JSON, as the Python connector adapts dicts). Column values come back as JSON can
 * carry them: numeric and int8 exact (a plain number when a double prints back the very digits
 * PostgreSQL sent, else an exact number with those digits), dates and timestamps as ISO 8601
 * text, intervals as ISO 8601 durations, bytea as base64, UUIDs and every other type as their text.
 */
import {
  isLosslessNumber,
  LosslessNumber,
  parse as parseLossless,
  stringify as stringifyLossless,
} from 'lossless-json';
import { parse as parseArray } from 'postgres-array';

/** A value from the request, as node-postgres should send it for one placeholder. */
export function toParameter(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (isLosslessNumber(value)) return value.toString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(toArrayElement);
  if (typeof value === 'object') return stringifyLossless(value) ?? null;
  return value;
}

/** Inside an array literal an object is its JSON text; node-postgres quotes it. */
function toArrayElement(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toArrayElement);
  return toParameter(value);
}

/** A number as exact as its text: a double when that prints back the same digits, else exact. */
export function toExactNumber(text: string): number | LosslessNumber | string {
  if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return text; // NaN, Infinity, -Infinity
  const number = Number(text);
  return String(number) === text ? number : new LosslessNumber(text);
}

/** JSON text from a json/jsonb column, with its numbers kept exact. */
export function parseJsonColumn(text: string): unknown {
  return parseLossless(text, null, toExactNumber);
}

function toFloat(text: string): number | string {
  const number = Number(text);
  return Number.isFinite(number) ? number : text;
}

/** ISO 8601 year: astronomical numbering, so 1 BC is 0000 and 44 BC is -0043. */
function isoDate(text: string): string {
  const bc = text.endsWith(' BC');
  const plain = bc ? text.slice(0, -3) : text;
  const match = /^(\d{4,})(-.*)$/.exec(plain);
  if (!match?.[1] || match[2] === undefined) return text; // infinity, -infinity
  if (!bc) return plain;
  const year = 1 - Number(match[1]);
  return `${year < 0 ? '-' : ''}${String(Math.abs(year)).padStart(4, '0')}${match[2]}`;
}

/** `+02` -> `+02:00`, as ISO 8601 writes an offset. */
function isoOffset(time: string): string {
  return time.replace(/([+-]\d\d)(:\d\d)?(:\d\d)?$/, (_, hours: string, minutes?: string, seconds?: string) => {
    return `${hours}${minutes ?? ':00'}${seconds ?? ''}`;
  });
}

function isoTimestamp(text: string, zoned: boolean): string {
  const bc = text.endsWith(' BC');
  const plain = bc ? text.slice(0, -3) : text;
  const space = plain.indexOf(' ');
  if (space === -1) return text; // infinity, -infinity
  const date = isoDate(`${plain.slice(0, space)}${bc ? ' BC' : ''}`);
  const time = plain.slice(space + 1);
  return `${date}T${zoned ? isoOffset(time) : time}`;
}

/**
 * An interval in PostgreSQL's default output (`1 year 2 mons 3 days 04:05:06.5`) as the ISO 8601
 * duration its `iso_8601` style prints (`P1Y2M3DT4H5M6.5S`); other styles pass through.
 */
export function isoInterval(text: string): string {
  const match =
    /^(?:([+-]?\d+) years? ?)?(?:([+-]?\d+) mons? ?)?(?:([+-]?\d+) days? ?)?(?:([+-])?(\d+):(\d\d):(\d\d(?:\.\d+)?))?$/.exec(
      text,
    );
  if (!match || text === '') return text;
  const [, years, months, days, sign, hours, minutes, seconds] = match;
  const negative = sign === '-' ? '-' : '';
  const part = (value: string | undefined, unit: string, signed = '') => {
    if (value === undefined || Number(value) === 0) return '';
    return `${signed}${String(Number(value))}${unit}`;
  };
  const date = part(years, 'Y') + part(months, 'M') + part(days, 'D');
  const secondsText = seconds === undefined ? undefined : seconds.replace(/^0(\d)/, '$1');
  const time = part(hours, 'H', negative) + part(minutes, 'M', negative) + part(secondsText, 'S', negative);
  if (date === '' && time === '') return 'PT0S';
  return `P${date}${time === '' ? '' : `T${time}`}`;
}

/** bytea in the `hex` output format (or the older `escape` one) as base64. */
export function byteaToBase64(text: string): string {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex').toString('base64');
  const bytes: number[] = [];
  for (let at = 0; at < text.length; ) {
    if (text[at] === '\\' && text[at + 1] === '\\') {
      bytes.push(0x5c);
      at += 2;
    } else if (text[at] === '\\') {
      bytes.push(Number.parseInt(text.slice(at + 1, at + 4), 8));
      at += 4;
    } else {
      bytes.push(text.charCodeAt(at));
      at += 1;
    }
  }
  return Buffer.from(bytes).toString('base64');
}

type Parser = (text: string) => unknown;

const SCALARS: ReadonlyMap<number, Parser> = new Map<number, Parser>([
  [16, (text) => text === 't'], // bool
  [20, toExactNumber], // int8
  [21, Number], // int2
  [23, Number], // int4
  [26, Number], // oid
  [700, toFloat], // float4
  [701, toFloat], // float8
  [1700, toExactNumber], // numeric
  [114, parseJsonColumn], // json
  [3802, parseJsonColumn], // jsonb
  [17, byteaToBase64], // bytea
  [1082, isoDate], // date
  [1114, (text) => isoTimestamp(text, false)], // timestamp
  [1184, (text) => isoTimestamp(text, true)], // timestamptz
  [1266, isoOffset], // timetz
  [1186, isoInterval], // interval
]);

/** Array types whose elements need one of the parsers above (others stay text, elements included). */
const ARRAYS: ReadonlyMap<number, number> = new Map([
  [1000, 16],
  [1016, 20],
  [1005, 21],
  [1007, 23],
  [1028, 26],
  [1021, 700],
  [1022, 701],
  [1231, 1700],
  [199, 114],
  [3807, 3802],
  [1001, 17],
  [1182, 1082],
  [1115, 1114],
  [1185, 1184],
  [1270, 1266],
  [1187, 1186],
]);
/** Arrays of text-like types: parsed into lists of strings. */
const TEXT_ARRAYS = new Set([1009, 1015, 1014, 1002, 1003, 2951, 1041, 651, 1040, 1183, 143, 1561, 1563, 791]);

const identity: Parser = (text) => text;

function parserFor(oid: number): Parser {
  const scalar = SCALARS.get(oid);
  if (scalar) return scalar;
  const element = ARRAYS.get(oid);
  if (element !== undefined) {
    const parse = SCALARS.get(element) ?? identity;
    return (text) => parseArray(text, parse);
  }
  if (TEXT_ARRAYS.has(oid)) return (text) => parseArray(text);
  return identity;
}

/** node-postgres' `types` option: every column as a JSON-safe value (see the module comment). */
export const jsonSafeTypes = {
  getTypeParser: (oid: number, format?: string): Parser =>
    format === 'binary' ? (value) => Buffer.from(value).toString('base64') : parserFor(oid),
};
