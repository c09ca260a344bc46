import { defineCommand } from '@connector-proxy/core';
import { onDatabase, rowsAffected } from '../database.js';
import { COMMON_ERRORS, databaseConnectionStr, ROWS_AFFECTED_RESULT, schemaParam, tableName } from '../params.js';
import { services } from '../services.js';
import { updateSql } from '../statements.js';

/** Sets columns to values in the rows that match the where entries (every row without them). */
export const UpdateValuesV2 = defineCommand({
  description: 'Update columns of the rows where [column, operator, value] entries all hold (all rows without where).',
  services,
  params: {
    database_connection_str: databaseConnectionStr,
    table_name: tableName,
    schema: schemaParam('{"set": {"abbrev": "ZZ"}, "where": [["abbrev", "=", "VA"]]}'),
  },
  result: ROWS_AFFECTED_RESULT,
  errors: { ...COMMON_ERRORS, UniqueViolation: 'the update repeats a unique key (23505); no row is changed' },
  async run(args, context) {
    const { sql, values } = updateSql(args.table_name, args.schema);
    context.log(sql);
    const count = await onDatabase(args, context, (session) => session.execute(sql, values));
    return { body: rowsAffected(count), mimetype: 'application/json' };
  },
});
