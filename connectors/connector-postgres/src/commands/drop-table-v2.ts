import { defineCommand } from '@connector-proxy/core';
import { onDatabase, rowsAffected } from '../database.js';
import { COMMON_ERRORS, databaseConnectionStr, ROWS_AFFECTED_RESULT, tableName } from '../params.js';
import { services } from '../services.js';
import { dropTableSql } from '../statements.js';

/** Drops a table if it exists. */
export const DropTableV2 = defineCommand({
  description: 'Drop a table, if it exists.',
  services,
  params: {
    database_connection_str: databaseConnectionStr,
    table_name: tableName,
  },
  idempotent: true,
  result: ROWS_AFFECTED_RESULT,
  errors: { ...COMMON_ERRORS, DependentObjectsStillExist: 'a view or foreign key depends on the table (2BP01)' },
  async run(args, context) {
    const sql = dropTableSql(args.table_name);
    context.log(sql);
    const count = await onDatabase(args, context, (session) => session.execute(sql));
    return { body: rowsAffected(count), mimetype: 'application/json' };
  },
});
