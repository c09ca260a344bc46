import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '@connector-proxy/core';
import connector from '../src/index.js';

const str = (id: string) => ({ id, type: 'str', required: true });
const schema = { id: 'schema', type: 'any', required: true };
const connection = str('database_connection_str');
const table = str('table_name');

test("the listing has the Python connector's seven commands with its parameter ids, types and requiredness", () => {
  assert.deepEqual(createRegistry([connector]).list(), [
    { id: 'postgres_v2/CreateTableV2', parameters: [connection, table, schema] },
    { id: 'postgres_v2/DeleteValuesV2', parameters: [connection, table, schema] },
    { id: 'postgres_v2/DoSQL', parameters: [connection, schema] },
    { id: 'postgres_v2/DropTableV2', parameters: [connection, table] },
    { id: 'postgres_v2/InsertValuesV2', parameters: [connection, table, schema] },
    { id: 'postgres_v2/SelectValuesV2', parameters: [connection, table, schema] },
    { id: 'postgres_v2/UpdateValuesV2', parameters: [connection, table, schema] },
  ]);
});

test('the detailed listing marks the connection string secret and lists results and error codes', () => {
  const detailed = createRegistry([connector]).list({ detailed: true }) as unknown as Record<string, unknown>[];
  const doSql = detailed.find((entry) => entry.id === 'postgres_v2/DoSQL');
  assert.ok(doSql);
  const [parameter] = doSql.parameters as Record<string, unknown>[];
  assert.equal(parameter?.secret, true);
  const codes = (doSql.errors as { code: string }[]).map((e) => e.code);
  for (const code of [
    'InvalidParameters',
    'OperationalError',
    'ProgrammingError',
    'QueryCanceled',
    'SyntaxError',
    'RowLimitExceeded',
  ]) {
    assert.ok(codes.includes(code), code);
  }
});
