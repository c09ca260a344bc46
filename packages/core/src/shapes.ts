/** The structured declarations (objects, lists, records, unions), all listed as `any`. */
import { isJsonObject } from './json.js';
import {
  type CheckContext,
  type Checker,
  INVALID,
  type JsonSchema,
  kindOf,
  type Param,
  type Problem,
  report,
} from './param-base.js';
import { createParam } from './scalars.js';

/** The type a declaration gives `run`. */
export type TypeOf<P> = P extends Param<infer T> ? T : never;

/** Named fields of an object shape. */
export type Fields = Record<string, Param<unknown>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value of an object shape: a field that may be undefined may also be left out. */
export type ObjectOf<F extends Fields> = Simplify<
  { [K in keyof F as undefined extends TypeOf<F[K]> ? never : K]: TypeOf<F[K]> } & {
    [K in keyof F as undefined extends TypeOf<F[K]> ? K : never]?: TypeOf<F[K]>;
  }
>;

/** Options of an object shape. */
export interface ObjectOptions {
  /** Keys not declared are passed through as they are (true) or refused (false, the default). */
  additional?: boolean;
  /** What a value of the wrong kind is told it must be (default "an object"). */
  expected?: string;
}

/** Options of a record shape. */
export interface RecordOptions {
  /** A problem with a key (a sentence completing the record's name, e.g. `: "a b" is not a header name`). */
  key?: (key: string) => string | undefined;
  /** What a value of the wrong kind is told it must be (default "an object"). */
  expected?: string;
}

/** Options of a union. */
export interface UnionOptions {
  /** What a value none of the members takes is told it must be (default: the members' nouns). */
  expected?: string;
}

/** Options of a list shape. */
export interface ArrayOptions {
  /** What a value of the wrong kind is told it must be (default "a list"). */
  expected?: string;
}

/** Builds a record without a prototype-reaching key: `__proto__` stays an own property. */
function ownEntries(entries: [string, unknown][]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/** Checks a member at `key`: absent or null gives the default (or undefined), else its declaration's check. */
function checkMember(member: Param<unknown>, raw: unknown, key: string | number, context: CheckContext): unknown {
  context.path.push(key);
  try {
    return raw === undefined || raw === null ? member.absentIn(context) : member.checkIn(raw, context);
  } finally {
    context.path.pop();
  }
}

/** An object with named fields; listed as `any`. */
export function objectOf<F extends Fields>(fields: F, options: ObjectOptions = {}): Param<ObjectOf<F>> {
  const own = Object.freeze({ ...fields });
  const names = Object.keys(own);
  const expected = options.expected ?? 'an object';
  const check: Checker = (value, context) => {
    if (!isJsonObject(value)) {
      report(context, `must be ${expected}, got ${kindOf(value)}`);
      return INVALID;
    }
    const before = context.problems.length;
    const entries: [string, unknown][] = [];
    for (const name of names) {
      const raw = Object.hasOwn(value, name) ? value[name] : undefined;
      const checked = checkMember(own[name] as Param<unknown>, raw, name, context);
      if (checked !== undefined && checked !== INVALID) entries.push([name, checked]);
    }
    for (const key of Object.keys(value)) {
      if (Object.hasOwn(own, key)) continue;
      if (options.additional) entries.push([key, value[key]]);
      else report(context, `is not expected here (known: ${names.join(', ')})`, [key]);
    }
    return context.problems.length > before ? INVALID : ownEntries(entries);
  };
  const properties = Object.fromEntries(names.map((name) => [name, (own[name] as Param<unknown>).schema]));
  const required = names.filter((name) => (own[name] as Param<unknown>).required);
  const schema: JsonSchema = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  if (!options.additional) schema.additionalProperties = false;
  return createParam('any', check, schema, expected);
}

/** A list whose items all have one shape; listed as `any`. */
export function arrayOf<I extends Param<unknown>>(item: I, options: ArrayOptions = {}): Param<TypeOf<I>[]> {
  const expected = options.expected ?? 'a list';
  const check: Checker = (value, context) => {
    if (!Array.isArray(value)) {
      report(context, `must be ${expected}, got ${kindOf(value)}`);
      return INVALID;
    }
    const before = context.problems.length;
    const items = value.map((raw, index) => checkMember(item, raw, index, context));
    return context.problems.length > before ? INVALID : items;
  };
  return createParam('any', check, { type: 'array', items: item.schema }, expected);
}

/**
 * An object of any string keys to one shape; listed as `any`. A member that is null (or
 * undefined) is left out when the value shape is optional, as `requests` drops None values.
 */
export function recordOf<V extends Param<unknown>>(
  member: V,
  options: RecordOptions = {},
): Param<Record<string, Exclude<TypeOf<V>, undefined>>> {
  const expected = options.expected ?? 'an object';
  const check: Checker = (value, context) => {
    if (!isJsonObject(value)) {
      report(context, `must be ${expected}, got ${kindOf(value)}`);
      return INVALID;
    }
    const before = context.problems.length;
    const entries: [string, unknown][] = [];
    for (const [key, raw] of Object.entries(value)) {
      const keyProblem = options.key?.(key);
      if (keyProblem !== undefined) {
        report(context, keyProblem);
        continue;
      }
      const checked = checkMember(member, raw, key, context);
      if (checked !== undefined && checked !== INVALID) entries.push([key, checked]);
    }
    return context.problems.length > before ? INVALID : ownEntries(entries);
  };
  return createParam('any', check, { type: 'object', additionalProperties: member.schema }, expected);
}

/**
 * The first of a few shapes that takes the value; listed as `any`. When none does and exactly
 * one of them failed only inside the value (it had the right kind), its problems are reported.
 */
export function unionOf<const M extends readonly Param<unknown>[]>(
  members: M,
  options: UnionOptions = {},
): Param<TypeOf<M[number]>> {
  const expected = options.expected ?? members.map((m) => m.noun).join(' or ');
  const check: Checker = (value, context) => {
    const inner: Problem[][] = [];
    for (const member of members) {
      const trial: CheckContext = { path: [...context.path], problems: [], show: context.show };
      const checked = member.checkIn(value, trial);
      if (checked !== INVALID) return checked;
      if (trial.problems.every((p) => p.path.length > context.path.length)) inner.push(trial.problems);
    }
    if (inner.length === 1) context.problems.push(...(inner[0] as Problem[]));
    else report(context, `must be ${expected}, got ${kindOf(value)}`);
    return INVALID;
  };
  return createParam('any', check, { anyOf: members.map((m) => m.schema) }, expected);
}
