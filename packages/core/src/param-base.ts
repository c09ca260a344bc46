/**
 * The declared parameter (`Param`) and how a value is checked against it: every problem found is
 * collected with its path, so a caller fixes all of them at once.
 */
import { isExactNumber, toPathText } from './json.js';

/** The four parameter types the diagram editor knows; the listing copies them as they are. */
export type ParamType = 'str' | 'int' | 'bool' | 'any';

/** A JSON Schema object (draft 2020-12 keywords: type, properties, items, anyOf, enum ...). */
export type JsonSchema = { [keyword: string]: unknown };

/** One thing wrong with a value: where (keys from the parameter's root) and what, e.g. "must be an integer". */
export interface Problem {
  path: readonly (string | number)[];
  /** Completes a sentence after the path; one starting with ":" follows the path directly. */
  message: string;
}

/**
 * The outcome of checking one value: the coerced value, or why it was refused. `problem` reads
 * after the parameter's name; `problems` is given when there are several, or one inside the value.
 */
export type Coerced<T> = { ok: true; value: T } | { ok: false; problem: string; problems?: readonly Problem[] };

/** Where a check reports: the path of the value being checked, and how to show refused values. */
export interface CheckContext {
  readonly path: (string | number)[];
  readonly problems: Problem[];
  /** Describes a refused value for a message; for a secret it shows only the kind. */
  readonly show: (value: unknown) => string;
}

/** What a check returns for a refused value (the problems are in the context). */
export const INVALID: unique symbol = Symbol('invalid');

/** Checks one present, non-null value; reports to `context` and returns INVALID when refused. */
export type Checker = (value: unknown, context: CheckContext) => unknown;

/** Everything a declaration holds; each modifier makes a new one. */
export interface ParamState {
  readonly type: ParamType;
  readonly description: string | undefined;
  readonly optional: boolean;
  readonly hasDefault: boolean;
  readonly defaultValue: unknown;
  readonly secret: boolean;
  readonly enumValues: readonly string[] | undefined;
  readonly check: Checker;
  /** The structure of accepted values, without this parameter's description and default. */
  readonly schema: JsonSchema;
  /** What the check expects, as a noun for messages ("a string", "an object"). */
  readonly noun: string;
  readonly min?: number | bigint;
  readonly max?: number | bigint;
}

/**
 * One declared parameter of a command (or a nested shape inside one). `T` is the type `run`
 * receives; it is what the declaration says (`.optional()` adds `undefined`), so nothing is
 * restated or cast.
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
  /** What the check expects, as a noun for messages. */
  get noun(): string {
    return this.#state.noun;
  }

  /** The JSON Schema of accepted values, with the description, default and bounds declared. */
  get schema(): JsonSchema {
    const { schema, description, hasDefault, defaultValue, min, max } = this.#state;
    const full: JsonSchema = { ...schema };
    if (description !== undefined) full.description = description;
    if (hasDefault) full.default = toJsonSafe(defaultValue);
    if (min !== undefined) full.minimum = Number(min);
    if (max !== undefined) full.maximum = Number(max);
    return full;
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

  /**
   * Checks further, and may convert, a value this declaration already accepted: `check` gets the
   * narrowed value and returns the final one or a problem (with `problems` for inner paths).
   */
  refine<U>(check: (value: T, show: (value: unknown) => string) => Coerced<U>): Param<U> {
    const inner = this.#state.check;
    const refined: Checker = (value, context) => {
      const first = inner(value, context);
      if (first === INVALID) return INVALID;
      return fromCoerced(check(first as T, context.show), context);
    };
    return new Param<U>({ ...this.#state, check: refined });
  }

  /** Replaces the JSON Schema listed for this parameter (for `custom` and refined declarations). */
  withSchema(schema: JsonSchema): Param<T> {
    return new Param({ ...this.#state, schema: { ...schema } });
  }

  /** Checks and converts one present, non-null value, collecting every problem. */
  check(value: unknown): Coerced<T> {
    const context: CheckContext = { path: [], problems: [], show: describeValue };
    const checked = this.checkIn(value, context);
    if (checked !== INVALID) return { ok: true, value: checked };
    const problems = context.problems;
    const only = problems.length === 1 ? problems[0] : undefined;
    if (only && only.path.length === 0) return { ok: false, problem: only.message };
    return { ok: false, problem: toRelativeText(problems), problems };
  }

  /** Checks a present value at `context.path` inside a larger one; INVALID (reported) when refused. */
  checkIn(value: unknown, context: CheckContext): T | typeof INVALID {
    const { check, secret, min, max } = this.#state;
    const own = secret ? { ...context, show: kindOf } : context;
    const checked = check(value, own);
    if (checked === INVALID) return INVALID;
    if (typeof checked === 'number' || typeof checked === 'bigint') {
      const below = min !== undefined && checked < min;
      const above = max !== undefined && checked > max;
      if (below || above) {
        const range =
          min !== undefined && max !== undefined
            ? `between ${min} and ${max}`
            : min !== undefined
              ? `at least ${min}`
              : `at most ${max}`;
        report(own, `must be ${range}, got ${own.show(checked)}`);
        return INVALID;
      }
    }
    return checked as T;
  }

  /**
   * The value for a member that is absent (or null) inside a larger value: the default, undefined
   * when optional, else INVALID after reporting it as required.
   */
  absentIn(context: CheckContext): T | typeof INVALID {
    if (this.#state.hasDefault) return copyOf(this.#state.defaultValue) as T;
    if (this.#state.optional) return undefined as T;
    report(context, 'is required');
    return INVALID;
  }
}

/** Reports a problem at the context's path (plus `at`, relative to it). */
export function report(context: CheckContext, message: string, at: readonly (string | number)[] = []): void {
  context.problems.push({ path: [...context.path, ...at], message });
}

/** A connector's own Coerced result, reported into the context. */
export function fromCoerced(result: Coerced<unknown>, context: CheckContext): unknown {
  if (result.ok) return result.value;
  if (result.problems && result.problems.length > 0) {
    for (const problem of result.problems) report(context, problem.message, problem.path);
  } else {
    report(context, result.problem);
  }
  return INVALID;
}

/** Problems as full sentences under a name: `data.items[2].qty must be an integer, got "x"`. */
export function describeProblems(name: string, problems: readonly Problem[]): string[] {
  return problems.map(({ path, message }) => joinPath(toPathText(name, path), message));
}

/** The problem text that reads after the parameter's name: the root's message, then inner paths. */
function toRelativeText(problems: readonly Problem[]): string {
  return problems
    .map(({ path, message }) => (path.length === 0 ? message : joinPath(toPathText(undefined, path), message)))
    .join('; ');
}

function joinPath(path: string, message: string): string {
  return message.startsWith(':') ? `${path}${message}` : `${path} ${message}`;
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

/** A deep copy of a default, so a run that changes it cannot change it for the next request. */
export function copyOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

/** A default as the listing can carry it: a bigint becomes a number when exact, else its digits. */
function toJsonSafe(value: unknown): unknown {
  if (typeof value !== 'bigint') return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value.toString();
}
