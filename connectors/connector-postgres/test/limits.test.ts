import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { startRegistry } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import connector from '../src/index.js';
import { CONNECTION, database, run, skipReason, sql, target } from './support.js';

const skip = skipReason;

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('a closed port is OperationalError with libpq message and 503, and the password never shows', async () => {
  const port = await closedPort();
  const result = await run('DropTableV2', {
    database_connection_str: `host=127.0.0.1 port=${port} dbname=test user=u password=Hunter2-secret`,
    table_name: 'x',
  });
  assert.equal(result.error?.error_code, 'OperationalError');
  assert.equal(
    result.error?.message,
    `Error executing sql statement: connection to server at "127.0.0.1", port ${port} failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n`,
  );
  assert.equal(result.envelope.command_response.http_status, 503);
  assert.ok(!JSON.stringify(result.envelope).includes('Hunter2'));
});

test('a server that never answers is OperationalError "timeout expired" after connect_timeout', async () => {
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  try {
    const started = Date.now();
    const result = await run('DropTableV2', {
      database_connection_str: `host=127.0.0.1 port=${address.port} dbname=test connect_timeout=2`,
      table_name: 'x',
    });
    assert.equal(result.error?.error_code, 'OperationalError');
    assert.match(result.error?.message ?? '', /failed: timeout expired\n$/);
    assert.equal(result.envelope.command_response.http_status, 504);
    assert.ok(Date.now() - started < 5_000);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  }
});

test('a database or role the server refuses is OperationalError with its FATAL message', { skip }, async () => {
  const server = `host=${database.host} port=${database.port}`;
  const missingDb = await run('DropTableV2', {
    database_connection_str: `${server} user=${database.user} dbname=cp_pg_no_such_db`,
    table_name: 'x',
  });
  assert.equal(missingDb.error?.error_code, 'OperationalError');
  assert.equal(
    missingDb.error?.message,
    `Error executing sql statement: connection to server at "${database.host}", port ${database.port} failed: FATAL:  database "cp_pg_no_such_db" does not exist\n`,
  );
  assert.equal(missingDb.envelope.command_response.http_status, 400);
  const missingRole = await run('DropTableV2', {
    database_connection_str: `${server} dbname=${database.database} user=cp_pg_no_such_role`,
    table_name: 'x',
  });
  assert.equal(missingRole.error?.error_code, 'OperationalError');
  assert.match(missingRole.error?.message ?? '', /FATAL: {2}role "cp_pg_no_such_role" does not exist\n$/);
  assert.equal(missingRole.envelope.command_response.http_status, 401);
});

const bounded = skipReason
  ? undefined
  : await startRegistry([connector], {
      env: { CONNECTOR_POSTGRES_V2_STATEMENT_TIMEOUT_MS: '300', CONNECTOR_POSTGRES_V2_MAX_ROWS: '3' },
    });
after(() => bounded?.close());

async function runBounded(name: string, params: Record<string, unknown>, timeoutMs?: number) {
  const found = bounded?.target('postgres_v2', name);
  if (!found) throw new Error('no registry');
  return runCommand(found, { database_connection_str: CONNECTION, ...params }, timeoutMs ? { timeoutMs } : {});
}

test('CONNECTOR_POSTGRES_V2_STATEMENT_TIMEOUT_MS stops a long statement: QueryCanceled, 504', { skip }, async () => {
  const started = Date.now();
  const result = await runBounded('DoSQL', { schema: { sql: 'SELECT pg_sleep(5)' } });
  assert.equal(result.error?.error_code, 'QueryCanceled');
  assert.equal(result.error?.message, 'Error executing sql statement: canceling statement due to statement timeout\n');
  assert.equal(result.envelope.command_response.http_status, 504);
  assert.ok(Date.now() - started < 2_000);
});

test('the statement timeout ends before the command deadline, so the database error is answered', {
  skip,
}, async () => {
  // Configured 30 s, but the command has 3 s: the statement is cancelled first (a tenth of the time
  // left before the deadline), and said so.
  const started = Date.now();
  const result = await runCommand(
    await target('DoSQL'),
    { database_connection_str: CONNECTION, schema: { sql: 'SELECT pg_sleep(8)' } },
    { timeoutMs: 3_000 },
  );
  assert.equal(result.error?.error_code, 'QueryCanceled', JSON.stringify(result.error));
  assert.ok(Date.now() - started < 3_000);
});

test('CONNECTOR_POSTGRES_V2_MAX_ROWS: more rows is RowLimitExceeded (413), as many is fine', { skip }, async () => {
  const four = await runBounded('DoSQL', { schema: { sql: 'SELECT generate_series(1, 4)', fetch_results: true } });
  assert.equal(four.error?.error_code, 'RowLimitExceeded');
  assert.equal(
    four.error?.message,
    'Error executing sql statement: the result has more than 3 rows (CONNECTOR_POSTGRES_V2_MAX_ROWS); ask for fewer, with a where clause or LIMIT\n',
  );
  assert.equal(four.envelope.command_response.http_status, 413);
  const three = await runBounded('DoSQL', { schema: { sql: 'SELECT generate_series(1, 3)', fetch_results: true } });
  assert.deepEqual(three.body, [[1], [2], [3]]);
  const table = `cp_pg_rows_${process.pid}`;
  await sql(`CREATE TABLE ${table} AS SELECT generate_series(1, 10) AS n`);
  try {
    const select = await runBounded('SelectValuesV2', { table_name: table, schema: { columns: ['n'] } });
    assert.equal(select.error?.error_code, 'RowLimitExceeded');
    // Rows over the cap roll back with the command: an INSERT ... RETURNING leaves nothing behind.
    const returning = await runBounded('DoSQL', {
      schema: { sql: `INSERT INTO ${table} SELECT generate_series(11, 20) RETURNING n`, fetch_results: true },
    });
    assert.equal(returning.error?.error_code, 'RowLimitExceeded');
    assert.deepEqual(await sql(`SELECT count(*)::int AS c FROM ${table}`), [{ c: 10 }]);
  } finally {
    await sql(`DROP TABLE ${table}`);
  }
});

test('a bad setting stops startup with one line naming the variable', async () => {
  await assert.rejects(startRegistry([connector], { env: { CONNECTOR_POSTGRES_V2_MAX_ROWS: '0' } }), {
    message: 'CONNECTOR_POSTGRES_V2_MAX_ROWS must be a whole number of at least 1, got "0"',
  });
  await assert.rejects(startRegistry([connector], { env: { CONNECTOR_POSTGRES_V2_STATEMENT_TIMEOUT_MS: 'soon' } }), {
    message: 'CONNECTOR_POSTGRES_V2_STATEMENT_TIMEOUT_MS must be a whole number of at least 1, got "soon"',
  });
});

test('bad parameters are InvalidParameters (400) before anything runs', async () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['CreateTableV2', { table_name: 't', schema: {} }, /schema.column_definitions is required/],
    [
      'CreateTableV2',
      { table_name: 't', schema: { column_definitions: [{ name: 'a' }] } },
      /column_definitions\[0\].type must be a text/,
    ],
    [
      'InsertValuesV2',
      { table_name: 't', schema: { columns: ['a'], values: [[1, 2]] } },
      /values\[0\] has 2 values for 1 columns/,
    ],
    ['InsertValuesV2', { table_name: 't', schema: { columns: [], values: [] } }, /at least one column/],
    ['SelectValuesV2', { table_name: 't', schema: [] }, /schema must be an object, got a list/],
    ['UpdateValuesV2', { table_name: 't', schema: { set: {} } }, /schema.set must name at least one column/],
    ['DoSQL', { schema: { values: [] } }, /schema.sql must be a text/],
    ['DoSQL', { schema: { sql: 'SELECT 1', fetch_results: 'maybe' } }, /fetch_results must be true or false/],
    ['DropTableV2', {}, /table_name is required/],
  ];
  for (const [name, params, message] of cases) {
    const result = await run(name, params);
    assert.equal(result.error?.error_code, 'InvalidParameters', `${name} ${JSON.stringify(params)}`);
    assert.match(result.error?.message ?? '', message);
    assert.equal(result.failure, 'invalid_parameters');
  }
});
