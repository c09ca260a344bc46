/** The scalar declarations: the editor's four types, an enum of strings, exact integers, custom checks. */
import { DefinitionError } from './errors.js';
import { isExactNumber } from './json.js';
import {
  type Checker,
  type Coerced,
  fromCoerced,
  INVALID,
  type JsonSchema,
  kindOf,
  Param,
  type ParamType,
  report,
} from './param-base.js';

/** A new declaration: required, no default, not secret. */
export function createParam<T>(
  type: ParamType,
  check: Checker,
  schema: JsonSchema,
  noun: string,
  description?: string,
  enumValues?: readonly string[],
): Param<T> {
  return new Param<T>({
    type,
    description,
    optional: false,
    hasDefault: false,
    defaultValue: undefined,
    secret: false,
    enumValues,
    check,
    schema,
    noun,
  });
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
/** Integers longer than this are refused, as Python refuses to read them (its int_max_str_digits). */
const MAX_INTEGER_DIGITS = 4300;
const SAFE_RANGE = `from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;

/** Text as `str` reads it: numbers and booleans written out, exact numbers with their digits. */
export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (isExactNumber(value)) return value.value;
  if (typeof value === 'bigint') return value.toString();
  return undefined;
}

const checkStr: Checker = (value, context) => {
  const text = toText(value);
  if (text !== undefined) return text;
  report(context, `must be a string, got ${kindOf(value)}`);
  return INVALID;
};

const checkInt: Checker = (value, context) => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  const exact = toBigInt(value);
  if (exact === undefined) {
    report(context, `must be an integer, got ${context.show(value)}`);
    return INVALID;
  }
  const number = Number(exact);
  if (Number.isSafeInteger(number)) return number;
  // An integer a double would round: say so, rather than run with another number.
  report(context, `must be an integer ${SAFE_RANGE} (this command needs a safe integer), got ${context.show(value)}`);
  return INVALID;
};

const checkBigInt: Checker = (value, context) => {
  const exact = toBigInt(value);
  if (exact !== undefined) return exact;
  report(context, `must be an integer, got ${context.show(value)}`);
  return INVALID;
};

const checkBool: Checker = (value, context) => {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  report(context, `must be true or false, got ${context.show(value)}`);
  return INVALID;
};

const checkAny: Checker = (value) => value;

/**
 * The exact integer a value holds: an integral number, an integer string such as "587", or an
 * exact number whose text has an integral value (`12345678901234567890`, `1e30`); else undefined.
 */
function toBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : undefined;
  if (typeof value === 'string') {
    return INTEGER_TEXT.test(value) && value.length <= MAX_INTEGER_DIGITS + 8 ? BigInt(value.trim()) : undefined;
  }
  if (isExactNumber(value)) return toIntegerFromText(value.value);
  return undefined;
}

const NUMBER_PARTS = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** The value of JSON number text when it is an integer of bounded size (so 1e1000000 costs nothing). */
function toIntegerFromText(text: string): bigint | undefined {
  const parts = NUMBER_PARTS.exec(text);
  if (!parts) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = parts;
  let digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  if (/^0+$/.test(digits)) return 0n;
  const shift = Number(exponentText) - fraction.length;
  if (shift < 0) {
    if (-shift > digits.length || !/^0*$/.test(digits.slice(shift))) return undefined;
    digits = digits.slice(0, shift);
  } else {
    if (digits.length + shift > MAX_INTEGER_DIGITS) return undefined;
    digits += '0'.repeat(shift);
  }
  return digits.length > MAX_INTEGER_DIGITS ? undefined : BigInt(`${sign}${digits}`);
}

/** A string limited to the given values; listed as `str`. */
export function oneOf<const V extends string>(values: readonly V[], description?: string): Param<V> {
  if (values.length === 0) throw new DefinitionError('param.enum needs at least one value');
  // A copy, so the caller's array cannot change the declaration (or the listing) later.
  const own = Object.freeze([...values]);
  const allowed = new Set<string>(own);
  const list = own.map((v) => JSON.stringify(v)).join(', ');
  const check: Checker = (value, context) => {
    const text = toText(value);
    if (text === undefined) {
      report(context, `must be a string, got ${kindOf(value)}`);
      return INVALID;
    }
    if (allowed.has(text)) return text;
    report(context, `must be one of ${list}, got ${context.show(value)}`);
    return INVALID;
  };
  return createParam('str', check, { type: 'string', enum: [...own] }, `one of ${list}`, description, own);
}

/** The scalar builders of `param` (and `shape`). */
export const scalars = {
  /** Text; numbers and booleans are turned into their text, exact numbers keep their digits. */
  str: (description?: string): Param<string> =>
    createParam('str', checkStr, { type: 'string' }, 'a string', description),
  /** A whole number a double carries exactly; integer strings such as "587" are accepted. */
  int: (description?: string): Param<number> =>
    createParam('int', checkInt, { type: 'integer' }, 'an integer', description),
  /** A whole number of any size, exact (listed as `int`); numbers, integer strings and exact numbers. */
  bigint: (description?: string): Param<bigint> =>
    createParam('int', checkBigInt, { type: 'integer' }, 'an integer', description),
  /** true or false; the strings "true" and "false" are accepted. */
  bool: (description?: string): Param<boolean> =>
    createParam('bool', checkBool, { type: 'boolean' }, 'true or false', description),
  /** Any JSON value, passed through as it is; prefer a structured form where the shape is known. */
  any: (description?: string): Param<unknown> => createParam('any', checkAny, {}, 'a value', description),
  /** A string limited to the given values; listed as `str`. */
  enum: oneOf,
  /**
   * A value listed as one of the four types but checked by the connector's own function, for a
   * wire contract the other forms cannot express; give its schema with `.withSchema()`.
   */
  custom: <T>(
    type: ParamType,
    check: (value: unknown, show: (value: unknown) => string) => Coerced<T>,
    description?: string,
  ): Param<T> =>
    createParam(type, (value, context) => fromCoerced(check(value, context.show), context), {}, 'a value', description),
};
