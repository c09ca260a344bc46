import { type JsonSchema, param } from '@connector-proxy/core';
import { PostgresErrorCode } from './errors.js';

/** The parameters of the Python connector, with the same ids, types and requiredness. */
export const databaseConnectionStr = param
  .str(
    'libpq connection string ("dbname=dev user=dev password=dev host=db port=5432") or URL (postgresql://...); use a secret',
  )
  .secret();

/** The table every command but DoSQL works on. */
export const tableName = param.str(
  'Table name; unquoted names fold to lower case as in SQL, "Quoted" keeps case, schema.table qualifies',
);

/** `schema` as each command reads it (listed as `any`, required, as Python's dict[str, Any]). */
export const schemaParam = (description: string) => param.any(description);

/** The body of a statement that returns no rows. */
export const ROWS_AFFECTED_RESULT = {
  description: '{"result": "N rows affected"}, or {"result": "ok"} for a statement without a row count (DDL)',
  schema: { type: 'object', properties: { result: { type: 'string' } }, required: ['result'] } as JsonSchema,
};

/** The body of a statement whose rows are returned. */
export const ROWS_RESULT = {
  description: 'The rows, each a list of column values in column order: [[1, "a"], [2, "b"]]',
  schema: { type: 'array', items: { type: 'array' } } as JsonSchema,
};

/** The error codes every command may answer with; SQL errors carry psycopg2's name for their SQLSTATE. */
export const COMMON_ERRORS: Readonly<Record<string, string>> = {
  InvalidParameters: PostgresErrorCode.InvalidParameters.when,
  OperationalError: PostgresErrorCode.OperationalError.when,
  ProgrammingError: PostgresErrorCode.ProgrammingError.when,
  QueryCanceled: PostgresErrorCode.QueryCanceled.when,
  UndefinedTable: 'the table does not exist (SQLSTATE 42P01); any SQLSTATE is reported by its psycopg2 name',
  UndefinedColumn: 'a column does not exist (42703)',
  InsufficientPrivilege: 'the database user may not do this (42501)',
};
