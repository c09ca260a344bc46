/**
 * Declares command parameters: the editor's four types (the listing copies them as they are),
 * plus structured shapes for `any` parameters, each with a JSON Schema and checked by core.
 */
import { CommandError, ErrorCode } from './errors.js';
import { describeProblems, type Param } from './param-base.js';
import { scalars } from './scalars.js';
import { arrayOf, objectOf, recordOf, unionOf } from './shapes.js';

export type { Coerced, JsonSchema, ParamType, Problem } from './param-base.js';
export { describeProblems, describeValue, kindOf, Param } from './param-base.js';
export type { ArrayOptions, Fields, ObjectOf, ObjectOptions, RecordOptions, TypeOf, UnionOptions } from './shapes.js';

/**
 * The parameter builders. `str`, `int`, `bool`, `any` and `enum` as the editor lists them;
 * `bigint` (listed as `int`) for exact integers of any size; `object`, `array`, `record` and
 * `union` (listed as `any`) for structured values, narrowed before `run` sees them.
 */
export const param = {
  ...scalars,
  /** An object with named fields (`shape.*`); a field that is optional may be left out or null. */
  object: objectOf,
  /** A list whose items all have one shape. */
  array: arrayOf,
  /** An object of any string keys to one shape (headers, query parameters). */
  record: recordOf,
  /** The first of a few shapes that takes the value. */
  union: unionOf,
};

/** The same builders for positions inside a structured parameter (their wire type is not listed). */
export const shape = param;

/** A command's parameter declarations, by wire id. */
export type ParamShape = Record<string, Param<unknown>>;

/** The argument object `run` receives for a parameter declaration. */
export type ParamsOf<P extends ParamShape> = {
  [K in keyof P]: P[K] extends Param<infer T> ? T : never;
};

/**
 * Checks a value against a declaration where only the command knows which one applies (a
 * parameter whose shape depends on another's value): the narrowed value, or an InvalidParameters
 * error (400) worded as core words its own parameter problems.
 */
export function narrow<T>(declaration: Param<T>, value: unknown, name: string): T {
  const checked = declaration.check(value);
  if (checked.ok) return checked.value;
  const problems = checked.problems ?? [{ path: [], message: checked.problem }];
  throw new CommandError(
    ErrorCode.InvalidParameters,
    `invalid parameters: ${describeProblems(name, problems).join('; ')}`,
    {
      httpStatus: 400,
    },
  );
}
