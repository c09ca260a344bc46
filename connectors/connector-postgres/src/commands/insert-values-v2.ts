import { defineCommand } from '@connector-proxy/core';
import { onDatabase, rowsAffected } from '../database.js';
import { COMMON_ERRORS, databaseConnectionStr, ROWS_AFFECTED_RESULT, schemaParam, tableName } from '../params.js';
import { services } from '../services.js';
import { insertSql } from '../statements.js';

/** Inserts rows of values into the named columns, all or none. */
export const InsertValuesV2 = defineCommand({
  description: 'Insert rows into a table: the column names, then a list of rows of values in that order.',
  services,
  params: {
    database_connection_str: databaseConnectionStr,
    table_name: tableName,
    schema: schemaParam('{"columns": ["country", "somenum"], "values": [["USA", 33], ["USA", 55]]}'),
  },
  result: ROWS_AFFECTED_RESULT,
  errors: {
    ...COMMON_ERRORS,
    UniqueViolation: 'a row repeats a unique key (23505); no row is inserted',
    NotNullViolation: 'a value is missing for a NOT NULL column (23502)',
    InvalidTextRepresentation: 'a value does not fit its column type (22P02)',
  },
  async run(args, context) {
    const statements = insertSql(args.table_name, args.schema);
    const rows = statements.reduce((sum, { values }) => sum + values.length, 0);
    const first = statements[0];
    if (first) context.log(`${first.sql.slice(0, first.sql.indexOf(' VALUES '))}: ${rows} values`);
    const count = await onDatabase(args, context, async (session) => {
      let total = 0;
      for (const { sql, values } of statements) total += (await session.execute(sql, values)) ?? 0;
      return total;
    });
    return { body: rowsAffected(count), mimetype: 'application/json' };
  },
});
