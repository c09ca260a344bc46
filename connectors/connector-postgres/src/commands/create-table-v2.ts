import { defineCommand } from '@connector-proxy/core';
import { onDatabase, rowsAffected } from '../database.js';
import { COMMON_ERRORS, databaseConnectionStr, ROWS_AFFECTED_RESULT, schemaParam, tableName } from '../params.js';
import { services } from '../services.js';
import { createTableSql } from '../statements.js';

/** Creates a table (if it does not exist yet) from column names and PostgreSQL types. */
export const CreateTableV2 = defineCommand({
  description: 'Create a table, if it does not exist yet, with the given columns and types.',
  services,
  params: {
    database_connection_str: databaseConnectionStr,
    table_name: tableName,
    schema: schemaParam('{"column_definitions": [{"name": "country", "type": "varchar(255)"}, ...]}'),
  },
  idempotent: true,
  result: ROWS_AFFECTED_RESULT,
  errors: { ...COMMON_ERRORS, DuplicateObject: 'a type or constraint of that name exists (42710)' },
  async run(args, context) {
    const sql = createTableSql(args.table_name, args.schema);
    context.log(sql);
    const count = await onDatabase(args, context, (session) => session.execute(sql));
    return { body: rowsAffected(count), mimetype: 'application/json' };
  },
});
