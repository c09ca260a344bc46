/**
 * The `where` of SelectValuesV2, UpdateValuesV2 and DeleteValuesV2: a list of
 * `[column, operator, value]` joined with AND, as in the Python connector. The column is a checked,
 * quoted name, the operator one of a fixed list, and the value always a bound parameter.
 */
import { describeValue, kindOf } from '@connector-proxy/core';
import { invalidParameters } from './errors.js';
import { readColumnName } from './identifiers.js';

/** SQL text with `$n` placeholders and the values they stand for, in order. */
export interface BoundSql {
  sql: string;
  values: unknown[];
}

type Operator = { sql: string; takes: 'value' | 'list' | 'nothing' };

/** The Python connector's four operators first, then the ones we add. */
const OPERATORS: ReadonlyMap<string, Operator> = new Map([
  ['=', { sql: '=', takes: 'value' }],
  ['!=', { sql: '!=', takes: 'value' }],
  ['<', { sql: '<', takes: 'value' }],
  ['>', { sql: '>', takes: 'value' }],
  ['<=', { sql: '<=', takes: 'value' }],
  ['>=', { sql: '>=', takes: 'value' }],
  ['<>', { sql: '<>', takes: 'value' }],
  ['LIKE', { sql: 'LIKE', takes: 'value' }],
  ['NOT LIKE', { sql: 'NOT LIKE', takes: 'value' }],
  ['ILIKE', { sql: 'ILIKE', takes: 'value' }],
  ['NOT ILIKE', { sql: 'NOT ILIKE', takes: 'value' }],
  ['IN', { sql: 'IN', takes: 'list' }],
  ['NOT IN', { sql: 'NOT IN', takes: 'list' }],
  ['IS NULL', { sql: 'IS NULL', takes: 'nothing' }],
  ['IS NOT NULL', { sql: 'IS NOT NULL', takes: 'nothing' }],
]);

/** The operators `where` accepts, for messages and the README. */
export const WHERE_OPERATORS: readonly string[] = [...OPERATORS.keys()];

/**
 * `WHERE ...` for the given entries (empty text when there are none), numbering placeholders from
 * `$first`. Every malformed entry is an InvalidParameters error naming it.
 */
export function buildWhere(where: unknown, field: string, first: number): BoundSql {
  if (where === undefined || where === null) return { sql: '', values: [] };
  if (!Array.isArray(where))
    throw invalidParameters(`${field} must be a list of [column, operator, value], got ${kindOf(where)}`);
  const parts: string[] = [];
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${first + values.length - 1}`;
  };
  for (const [index, entry] of where.entries()) {
    const at = `${field}[${index}]`;
    if (!Array.isArray(entry))
      throw invalidParameters(`${at} must be a list [column, operator, value], got ${kindOf(entry)}`);
    const [column, operatorText, value] = entry;
    if (typeof column !== 'string') throw invalidParameters(`${at}[0] must be a column name, got ${kindOf(column)}`);
    const operator = typeof operatorText === 'string' ? OPERATORS.get(normalize(operatorText)) : undefined;
    if (operator === undefined) {
      throw invalidParameters(
        `${at}[1] is not a supported operator: ${describeValue(operatorText)} (use one of ${WHERE_OPERATORS.join(', ')})`,
      );
    }
    const name = readColumnName(column, `${at}[0]`);
    if (operator.takes === 'nothing') {
      if (entry.length > 3 || (entry.length === 3 && value !== null)) {
        throw invalidParameters(`${at} must be [column, "${operator.sql}"] (no value, or null)`);
      }
      parts.push(`${name} ${operator.sql}`);
      continue;
    }
    if (entry.length !== 3) {
      throw invalidParameters(`${at} must have 3 items [column, operator, value], got ${entry.length}`);
    }
    if (operator.takes === 'value') {
      parts.push(`${name} ${operator.sql} ${bind(value)}`);
      continue;
    }
    if (!Array.isArray(value))
      throw invalidParameters(`${at}[2] must be a list for ${operator.sql}, got ${kindOf(value)}`);
    if (value.length === 0) {
      // `x IN ()` is not SQL; an empty list matches nothing (and NOT IN everything).
      parts.push(operator.sql === 'IN' ? 'FALSE' : 'TRUE');
      continue;
    }
    const placeholders = value.map(bind);
    parts.push(`${name} ${operator.sql} (${placeholders.join(', ')})`);
  }
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, values };
}

function normalize(operator: string): string {
  return operator.trim().replace(/\s+/g, ' ').toUpperCase();
}
