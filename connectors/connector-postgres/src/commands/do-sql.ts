import { defineCommand, isPlainObject, kindOf } from '@connector-proxy/core';
import { onDatabase, rowsAffected } from '../database.js';
import { invalidParameters } from '../errors.js';
import { COMMON_ERRORS, databaseConnectionStr, schemaParam } from '../params.js';
import { toNumberedSql } from '../placeholders.js';
import { services } from '../services.js';

/** Runs the diagram's own SQL with bound values; returns its rows when fetch_results is true. */
export const DoSQL = defineCommand({
  description: 'Run SQL of your own with bound values (%s or %(name)s placeholders); fetch_results returns its rows.',
  services,
  params: {
    database_connection_str: databaseConnectionStr,
    schema: schemaParam('{"sql": "SELECT * FROM states WHERE somenum > %s", "values": [10], "fetch_results": true}'),
  },
  result: {
    description: 'With fetch_results, the rows as lists of column values; else {"result": "N rows affected"} or "ok"',
  },
  errors: {
    ...COMMON_ERRORS,
    SyntaxError: 'the SQL is not valid (42601); several statements need no values and no fetch_results',
    RowLimitExceeded: 'fetch_results found more rows than CONNECTOR_POSTGRES_V2_MAX_ROWS',
  },
  async run(args, context) {
    const { schema } = args;
    if (!isPlainObject(schema)) throw invalidParameters(`schema must be an object, got ${kindOf(schema)}`);
    if (typeof schema.sql !== 'string') throw invalidParameters(`schema.sql must be a text, got ${kindOf(schema.sql)}`);
    if (schema.sql.trim() === '') throw invalidParameters('schema.sql is empty');
    // As Python's schema.get("values", []): a missing list is an empty one, null means "no formatting".
    const { sql, values } = toNumberedSql(schema.sql, 'values' in schema ? schema.values : [], 'schema');
    const fetch = readFlag(schema.fetch_results);
    context.log(`running the diagram's SQL with ${values.length} values${fetch ? ', fetching its rows' : ''}`);
    // The SQL may change session settings (SET, SET ROLE ...): they are discarded before the connection is reused.
    if (fetch) {
      const rows = await onDatabase(args, context, (session) => session.fetch(sql, values), { resetSession: true });
      context.log(`${rows.length} rows`);
      return { body: rows, mimetype: 'application/json' };
    }
    const count = await onDatabase(args, context, (session) => session.execute(sql, values), { resetSession: true });
    return { body: rowsAffected(count), mimetype: 'application/json' };
  },
});

/** fetch_results: a boolean, also as 0/1 or "true"/"false" text. */
function readFlag(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0) return false;
  if (value === true || value === 1) return true;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw invalidParameters(`schema.fetch_results must be true or false, got ${kindOf(value)}`);
}
