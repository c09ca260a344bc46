import { DefinitionError } from './errors.js';
import { isExactNumber } from './json.js';

/** The four parameter types the diagram editor knows; the listing copies them as they are. */
export type ParamType = 'str' | 'int' | 'bool' | 'any';

/** The outcome of checking one value: the coerced value, or a readable reason it was refused. */
export type Coerced<T> = { ok: true; value: T } | { ok: false; problem: string };

/** `show` describes a refused value for the message; for a secret it shows only the kind. */
type Coerce<T> = (value: unknown, show: (value: unknown) => string) => Coerced<T>;

interface ParamState {
  readonly type: ParamType;
  readonly description: string | undefined;
  readonly optional: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly secret: boolean;
  readonly enumValues: readonly string[] | undefined;
  readonly coerce: Coerce<unknown>;
  readonly min?: number | bigint;
  readonly max?: number | bigint;
}

/**
 * One declared parameter of a command. `T` is the type `run` receives; it is what the
 * declaration says (`.optional()` adds `undefined`), so nothing is restated or cast.
 */
export class Param<T> {
  /** Phantom field that carries `T` for inference; never set at run time. */
  declare readonly __type: T;
  readonly #state: ParamState;

  constructor(state: ParamState) {
    this.#state = state;
  }

  get type(): ParamType {
    return this.#state.type;
  }
  get description(): string | undefined {
    return this.#state.description;
  }
  /** True when a value must be given: no default and not optional (as the Python proxy lists it). */
  get required(): boolean {
    return !this.#state.optional && !this.#state.hasDefault;
  }
  get hasDefault(): boolean {
    return this.#state.hasDefault;
  }
  get defaultValue(): unknown {
    return this.#state.defaultValue;
  }
  get isSecret(): boolean {
    return this.#state.secret;
  }
  get enumValues(): readonly string[] | undefined {
    return this.#state.enumValues;
  }

  /** The value may be left out (or sent as null); `run` then receives `undefined`. */
  optional(): Param<T | undefined> {
    return new Param({ ...this.#state, optional: true });
  }

  /** The value used when none (or null) is given; the parameter is then not required. */
  default(value: NonNullable<T>): Param<NonNullable<T>> {
    return new Param({ ...this.#state, hasDefault: true, defaultValue: value });
  }

  /** Marks a credential: its value is masked in `spiff__logs` and error messages. */
  secret(): Param<T> {
    return new Param({ ...this.#state, secret: true });
  }

  /** Replaces the human description shown in detailed listings and `connector-proxy list`. */
  describe(description: string): Param<T> {
    return new Param({ ...this.#state, description });
  }

  /** Refuses values below `bound` (for `int` and `bigint` parameters). */
  min(this: Param<number | bigint | undefined>, bound: number | bigint): Param<T> {
    return new Param({ ...this.#state, min: bound });
  }

  /** Refuses values above `bound` (for `int` and `bigint` parameters). */
  max(this: Param<number | bigint | undefined>, bound: number | bigint): Param<T> {
    return new Param({ ...this.#state, max: bound });
  }

  /** Checks and converts one present, non-null value. */
  check(value: unknown): Coerced<T> {
    const show = this.#state.secret ? kindOf : describeValue;
    const checked = this.#state.coerce(value, show) as Coerced<T>;
    if (!checked.ok) return checked;
    const { min, max } = this.#state;
    const number = checked.value;
    if (typeof number === 'number' || typeof number === 'bigint') {
      if (min !== undefined && number < min)
        return { ok: false, problem: `must be at least ${min}, got ${show(number)}` };
      if (max !== undefined && number > max)
        return { ok: false, problem: `must be at most ${max}, got ${show(number)}` };
    }
    return checked;
  }
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
/** Integers longer than this are refused, as Python refuses to read them (its int_max_str_digits). */
const MAX_INTEGER_DIGITS = 4300;
const SAFE_RANGE = `from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}`;

function toStr(value: unknown): Coerced<string> {
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value) };
  if (typeof value === 'boolean') return { ok: true, value: String(value) };
  // An exact number keeps the digits it was sent with.
  if (isExactNumber(value)) return { ok: true, value: value.value };
  if (typeof value === 'bigint') return { ok: true, value: value.toString() };
  return { ok: false, problem: `must be a string, got ${kindOf(value)}` };
}

function toInt(value: unknown, show: (value: unknown) => string): Coerced<number> {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value };
  const exact = toBigInt(value);
  if (exact !== undefined) {
    const number = Number(exact);
    if (Number.isSafeInteger(number)) return { ok: true, value: number };
    // An integer it would round: say so, rather than run with another number.
    return {
      ok: false,
      problem: `must be an integer ${SAFE_RANGE} (this command needs a safe integer), got ${show(value)}`,
    };
  }
  return { ok: false, problem: `must be an integer, got ${show(value)}` };
}

function toBigIntParam(value: unknown, show: (value: unknown) => string): Coerced<bigint> {
  const exact = toBigInt(value);
  if (exact !== undefined) return { ok: true, value: exact };
  return { ok: false, problem: `must be an integer, got ${show(value)}` };
}

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
  const exponent = Number(exponentText);
  let digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const shift = exponent - fraction.length;
  if (/^0+$/.test(digits)) return 0n;
  if (shift < 0) {
    const dropped = digits.slice(shift);
    if (-shift > digits.length || !/^0*$/.test(dropped)) return undefined;
    digits = digits.slice(0, shift);
  } else {
    if (digits.length + shift > MAX_INTEGER_DIGITS) return undefined;
    digits += '0'.repeat(shift);
  }
  if (digits.length > MAX_INTEGER_DIGITS) return undefined;
  return BigInt(`${sign}${digits}`);
}

function toBool(value: unknown, show: (value: unknown) => string): Coerced<boolean> {
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return { ok: true, value: true };
    if (text === 'false') return { ok: true, value: false };
  }
  return { ok: false, problem: `must be true or false, got ${show(value)}` };
}

function toAny(value: unknown): Coerced<unknown> {
  return { ok: true, value };
}

/** A short, safe description of a value for error messages (never the whole value). */
export function describeValue(value: unknown): string {
  if (isExactNumber(value)) return value.value.length > 40 ? `${value.value.slice(0, 40)}…` : value.value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return kindOf(value);
}

/** The JSON kind of a value, as a noun for messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'a list';
  if (isExactNumber(value)) return 'a number';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'bigint') return 'a number';
  return `a ${typeof value}`;
}

function create<T>(type: ParamType, coerce: Coerce<T>, description?: string, enumValues?: readonly string[]): Param<T> {
  return new Param<T>({
    type,
    description,
    optional: false,
    hasDefault: false,
    defaultValue: undefined,
    secret: false,
    enumValues,
    coerce,
  });
}

function oneOf<const V extends string>(values: readonly V[], description?: string): Param<V> {
  if (values.length === 0) throw new DefinitionError('param.enum needs at least one value');
  // A copy, so the caller's array cannot change the declaration (or the listing) later.
  const own = Object.freeze([...values]);
  const allowed = new Set<string>(own);
  const list = own.map((v) => JSON.stringify(v)).join(', ');
  const coerce: Coerce<V> = (value, show) => {
    const text = toStr(value);
    if (!text.ok) return text;
    if (allowed.has(text.value)) return { ok: true, value: text.value as V };
    return { ok: false, problem: `must be one of ${list}, got ${show(value)}` };
  };
  return create('str', coerce, description, own);
}

/** Declares command parameters: exactly the editor's four types, plus an enum form of `str`. */
export const param = {
  /** Text; numbers and booleans are turned into their text. */
  str: (description?: string): Param<string> => create('str', toStr, description),
  /** A whole number; integer strings such as "587" are accepted. */
  int: (description?: string): Param<number> => create('int', toInt, description),
  /** A whole number of any size, exact (listed as `int`); numbers, integer strings and exact numbers. */
  bigint: (description?: string): Param<bigint> => create('int', toBigIntParam, description),
  /** true or false; the strings "true" and "false" are accepted. */
  bool: (description?: string): Param<boolean> => create('bool', toBool, description),
  /** Any JSON value; narrow it in the command with a named helper that throws a clear error. */
  any: (description?: string): Param<unknown> => create('any', toAny, description),
  /** A string limited to the given values; listed as `str`. */
  enum: oneOf,
  /**
   * A parameter listed as one of the four types but checked by the connector's own function,
   * for the rare wire contract the four cannot express (a `str` that also takes a list of texts).
   */
  custom: <T>(type: ParamType, check: (value: unknown) => Coerced<T>, description?: string): Param<T> =>
    create(type, check, description),
};

/** A command's parameter declarations, by wire id. */
export type ParamShape = Record<string, Param<unknown>>;

/** The argument object `run` receives for a parameter declaration. */
export type ParamsOf<P extends ParamShape> = {
  [K in keyof P]: P[K] extends Param<infer T> ? T : never;
};
