import { defineCommand } from '@connector-proxy/core';
import { onDatabase, rowsAffected } from '../database.js';
import { COMMON_ERRORS, databaseConnectionStr, ROWS_AFFECTED_RESULT, schemaParam, tableName } from '../params.js';
import { services } from '../services.js';
import { deleteSql } from '../statements.js';

/** Deletes the rows that match the where entries (every row without them, as in Python). */
export const DeleteValuesV2 = defineCommand({
  description: 'Delete the rows where [column, operator, value] entries all hold (all rows without where).',
  services,
  params: {
    database_connection_str: databaseConnectionStr,
    table_name: tableName,
    schema: schemaParam('{"where": [["abbrev", "=", "VA"]]}; {} deletes every row'),
  },
  result: ROWS_AFFECTED_RESULT,
  errors: { ...COMMON_ERRORS, ForeignKeyViolation: 'another table still refers to a row (23503); nothing is deleted' },
  async run(args, context) {
    const { sql, values } = deleteSql(args.table_name, args.schema);
    context.log(sql);
    const count = await onDatabase(args, context, (session) => session.execute(sql, values));
    return { body: rowsAffected(count), mimetype: 'application/json' };
  },
});
