/**
 * The SQL of the six table commands, built the way the Python connector builds it, except that
 * names are parsed and quoted, types are checked against PostgreSQL's grammar, and values are
 * always `$n` parameters. Each builder checks its part of `schema` and names what is wrong.
 */
import { isPlainObject, kindOf } from '@connector-proxy/core';
import { toColumnTypeSql } from './column-types.js';
import { invalidParameters } from './errors.js';
import { readColumnName, readTableName } from './identifiers.js';
import { type BoundSql, buildWhere } from './where.js';

/** PostgreSQL takes at most 65535 parameters in one statement; longer inserts are split. */
export const MAX_PARAMETERS = 65_535;

/** `CREATE TABLE IF NOT EXISTS` with checked column names and types. */
export function createTableSql(tableName: string, schemaValue: unknown): string {
  const table = readTableName(tableName, 'table_name');
  const schema = readSchema(schemaValue);
  const definitions = listOf(schema.column_definitions, 'schema.column_definitions');
  const columns = definitions.map((definition, index) => {
    const at = `schema.column_definitions[${index}]`;
    if (!isPlainObject(definition))
      throw invalidParameters(`${at} must be an object {name, type}, got ${kindOf(definition)}`);
    const name = readColumnName(textOf(definition.name, `${at}.name`), `${at}.name`);
    const typeText = textOf(definition.type, `${at}.type`);
    const type = toColumnTypeSql(typeText);
    if ('problem' in type) {
      throw invalidParameters(`${at}.type is not a PostgreSQL type: ${JSON.stringify(typeText)} ${type.problem}`);
    }
    return `${name} ${type.sql}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${table} (${columns.join(', ')})`;
}

/** `DROP TABLE IF EXISTS` for one checked table name. */
export function dropTableSql(tableName: string): string {
  return `DROP TABLE IF EXISTS ${readTableName(tableName, 'table_name')}`;
}

/** `INSERT` statements for every row of `values`, as few as the parameter limit allows. */
export function insertSql(tableName: string, schemaValue: unknown): BoundSql[] {
  const table = readTableName(tableName, 'table_name');
  const schema = readSchema(schemaValue);
  const columns = listOf(schema.columns, 'schema.columns').map((column, index) =>
    readColumnName(textOf(column, `schema.columns[${index}]`), `schema.columns[${index}]`),
  );
  if (columns.length === 0) throw invalidParameters('schema.columns must name at least one column');
  const rows = listOf(schema.values, 'schema.values').map((row, index) => {
    const at = `schema.values[${index}]`;
    if (!Array.isArray(row))
      throw invalidParameters(`${at} must be a list of ${columns.length} values, got ${kindOf(row)}`);
    if (row.length !== columns.length) {
      throw invalidParameters(`${at} has ${row.length} values for ${columns.length} columns`);
    }
    return row;
  });
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const statements: BoundSql[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = chunk.flat();
    const tuples = chunk.map((_, row) => {
      const first = row * columns.length + 1;
      return `(${columns.map((_column, index) => `$${first + index}`).join(', ')})`;
    });
    statements.push({ sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values });
  }
  return statements;
}

/** `SELECT` of checked columns (or `*`) with an optional where. */
export function selectSql(tableName: string, schemaValue: unknown): BoundSql {
  const table = readTableName(tableName, 'table_name');
  const schema = readSchema(schemaValue);
  const columns = listOf(schema.columns, 'schema.columns').map((column, index) => {
    const text = textOf(column, `schema.columns[${index}]`);
    return text.trim() === '*' ? '*' : readColumnName(text, `schema.columns[${index}]`);
  });
  const where = buildWhere(schema.where, 'schema.where', 1);
  return { sql: joinSql(`SELECT ${columns.join(', ')} FROM ${table}`, where.sql), values: where.values };
}

/** `UPDATE ... SET` from the `set` object's columns and values, with an optional where. */
export function updateSql(tableName: string, schemaValue: unknown): BoundSql {
  const table = readTableName(tableName, 'table_name');
  const schema = readSchema(schemaValue);
  const set = schema.set;
  if (!isPlainObject(set)) throw invalidParameters(`schema.set must be an object {column: value}, got ${kindOf(set)}`);
  const entries = Object.entries(set);
  if (entries.length === 0) throw invalidParameters('schema.set must name at least one column');
  const assignments = entries.map(
    ([column], index) => `${readColumnName(column, `schema.set key "${column}"`)} = $${index + 1}`,
  );
  const where = buildWhere(schema.where, 'schema.where', entries.length + 1);
  return {
    sql: joinSql(`UPDATE ${table} SET ${assignments.join(', ')}`, where.sql),
    values: [...entries.map(([, value]) => value), ...where.values],
  };
}

/** `DELETE` with an optional where; without one it deletes every row, as in the Python connector. */
export function deleteSql(tableName: string, schemaValue: unknown): BoundSql {
  const table = readTableName(tableName, 'table_name');
  const schema = readSchema(schemaValue);
  const where = buildWhere(schema.where, 'schema.where', 1);
  return { sql: joinSql(`DELETE FROM ${table}`, where.sql), values: where.values };
}

/** `schema` must be an object; the builders check what is inside. */
function readSchema(schema: unknown): Record<string, unknown> {
  if (!isPlainObject(schema)) throw invalidParameters(`schema must be an object, got ${kindOf(schema)}`);
  return schema;
}

function joinSql(statement: string, where: string): string {
  return where === '' ? statement : `${statement} ${where}`;
}

function listOf(value: unknown, field: string): unknown[] {
  if (value === undefined) throw invalidParameters(`${field} is required`);
  if (!Array.isArray(value)) throw invalidParameters(`${field} must be a list, got ${kindOf(value)}`);
  return value;
}

function textOf(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalidParameters(`${field} must be a text, got ${kindOf(value)}`);
  return value;
}
