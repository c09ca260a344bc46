/**
 * DoSQL's placeholders. Diagrams written for the Python connector use psycopg2's: `%s` for each
 * value of a list, `%(name)s` for the values of an object, and `%%` for a literal `%`. PostgreSQL
 * takes `$1, $2 ...` with the values sent apart from the SQL, so those placeholders are rewritten
 * to numbered ones and the values are never spliced into the text. SQL that already uses `$1`
 * (and no `%s`) is sent as it is with the list of values.
 */
import { isPlainObject, kindOf } from '@connector-proxy/core';
import { invalidParameters } from './errors.js';
import type { BoundSql } from './where.js';

const PLACEHOLDER = /%(?:%|s|\(([^)]*)\)s)/g;

/** The SQL with numbered placeholders and the values in their order. */
export function toNumberedSql(sql: string, values: unknown, field: string): BoundSql {
  // As psycopg2 with `None`: nothing is substituted, the text is sent as it is.
  if (values === null || values === undefined) return { sql, values: [] };
  const named = isPlainObject(values);
  if (!named && !Array.isArray(values)) {
    throw invalidParameters(
      `${field}.values must be a list (for %s) or an object (for %(name)s), got ${kindOf(values)}`,
    );
  }
  let positional = 0;
  let usesNames = false;
  const order: string[] = [];
  const bound: unknown[] = [];
  const text = sql.replace(PLACEHOLDER, (match, name: string | undefined) => {
    if (match === '%%') return '%';
    if (name === undefined) {
      positional += 1;
      if (Array.isArray(values)) bound.push(values[positional - 1]);
      return `$${positional}`;
    }
    usesNames = true;
    let index = order.indexOf(name);
    if (index === -1) {
      index = order.push(name) - 1;
      bound.push(named && Object.hasOwn(values, name) ? values[name] : undefined);
    }
    return `$${index + 1}`;
  });
  if (positional > 0 && usesNames) throw invalidParameters(`${field}.sql mixes %s and %(name)s placeholders`);
  if (usesNames) {
    if (!named) throw invalidParameters(`${field}.values must be an object for %(name)s placeholders`);
    const missing = order.filter((name) => !Object.hasOwn(values, name));
    if (missing.length > 0)
      throw invalidParameters(`${field}.values has no ${missing.map((n) => `"${n}"`).join(', ')}`);
    return { sql: text, values: bound };
  }
  if (named) {
    if (positional > 0) throw invalidParameters(`${field}.values must be a list for %s placeholders`);
    return { sql: text, values: [] };
  }
  const list = values as unknown[];
  // No psycopg2 placeholder at all: PostgreSQL's own $1, $2 ... (or none) take the list as it is.
  if (positional === 0) return list.length === 0 ? { sql: text, values: [] } : { sql, values: list };
  if (positional !== list.length) {
    throw invalidParameters(
      `${field}.sql has ${positional} %s placeholder${positional === 1 ? '' : 's'} but ${field}.values has ${list.length} value${list.length === 1 ? '' : 's'}`,
    );
  }
  return { sql: text, values: bound };
}
