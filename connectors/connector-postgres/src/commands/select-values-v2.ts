import { defineCommand } from '@connector-proxy/core';
import { onDatabase } from '../database.js';
import { COMMON_ERRORS, databaseConnectionStr, ROWS_RESULT, schemaParam, tableName } from '../params.js';
import { services } from '../services.js';
import { selectSql } from '../statements.js';

/** Selects columns of the rows that match the where entries; the rows come back as lists. */
export const SelectValuesV2 = defineCommand({
  description: 'Select columns from a table, optionally where [column, operator, value] entries all hold.',
  services,
  params: {
    database_connection_str: databaseConnectionStr,
    table_name: tableName,
    schema: schemaParam('{"columns": ["country", "somenum"], "where": [["somenum", "=", 33]]}'),
  },
  idempotent: true,
  result: ROWS_RESULT,
  errors: { ...COMMON_ERRORS, RowLimitExceeded: 'more rows match than CONNECTOR_POSTGRES_V2_MAX_ROWS' },
  async run(args, context) {
    const { sql, values } = selectSql(args.table_name, args.schema);
    context.log(sql);
    const rows = await onDatabase(args, context, (session) => session.fetch(sql, values));
    context.log(`${rows.length} rows`);
    return { body: rows, mimetype: 'application/json' };
  },
});
