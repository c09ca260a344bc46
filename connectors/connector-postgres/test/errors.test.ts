import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { baseClassName, errorNameOf } from '../src/error-names.js';
import { showPosition, statusForSqlstate } from '../src/errors.js';
import { SQLSTATE_NAMES } from '../src/sqlstate.js';
import { database, ok, run, skipReason, sql, tableName } from './support.js';

const skip = skipReason;

test("SQLSTATEs map to psycopg2's class names through its table, else to its DB-API class", () => {
  const named: [string, string][] = [
    ['42P01', 'UndefinedTable'],
    ['42601', 'SyntaxError'],
    ['23505', 'UniqueViolation'],
    ['23502', 'NotNullViolation'],
    ['42703', 'UndefinedColumn'],
    ['22P02', 'InvalidTextRepresentation'],
    ['57014', 'QueryCanceled'],
    ['40001', 'SerializationFailure'],
    ['40P01', 'DeadlockDetected'],
    ['28P01', 'InvalidPassword'],
    ['3D000', 'InvalidCatalogName'],
    ['38002', 'ModifyingSqlDataNotPermittedExt'],
    ['XX000', 'InternalError_'],
    ['25P04', 'TransactionTimeout'],
  ];
  for (const [code, name] of named) assert.equal(errorNameOf(code), name, code);
  assert.equal(SQLSTATE_NAMES.size, 252);
  const classes: [string, string][] = [
    ['08ZZZ', 'OperationalError'],
    ['0AZZZ', 'NotSupportedError'],
    ['22ZZZ', 'DataError'],
    ['23ZZZ', 'IntegrityError'],
    ['25ZZZ', 'InternalError'],
    ['28ZZZ', 'OperationalError'],
    ['3DZZZ', 'ProgrammingError'],
    ['40ZZZ', 'TransactionRollbackError'],
    ['42ZZZ', 'ProgrammingError'],
    ['53ZZZ', 'OperationalError'],
    ['P0ZZZ', 'InternalError'],
    ['ZZ999', 'DatabaseError'],
  ];
  for (const [code, name] of classes) assert.equal(baseClassName(code), name, code);
});

test('http_status says whether a retry can help: 5xx for the server or a conflict of timing, 4xx for the SQL', () => {
  const statuses: [string, number][] = [
    ['08006', 503],
    ['40001', 503],
    ['40P01', 503],
    ['53300', 503],
    ['57P01', 503],
    ['55P03', 503],
    ['57014', 504],
    ['42601', 400],
    ['42P01', 400],
    ['22012', 400],
    ['42501', 403],
    ['28P01', 401],
    ['23505', 409],
    ['XX000', 500],
  ];
  for (const [code, status] of statuses) assert.equal(statusForSqlstate(code), status, code);
});

/** Raises an error with the given SQLSTATE inside the server. */
const raise = (code: string) => `DO $$ BEGIN RAISE EXCEPTION 'raised %', '${code}' USING ERRCODE = '${code}'; END $$`;

test('an SQL error from the server carries its psycopg2 name and status, end to end', { skip }, async () => {
  const cases: [string, string, number][] = [
    ['42P01', 'UndefinedTable', 400],
    ['23505', 'UniqueViolation', 409],
    ['40001', 'SerializationFailure', 503],
    ['40P01', 'DeadlockDetected', 503],
    ['53300', 'TooManyConnections', 503],
    ['42501', 'InsufficientPrivilege', 403],
    ['XX000', 'InternalError_', 500],
    ['P0001', 'RaiseException', 400],
    ['22ZZZ', 'DataError', 400],
    ['ZZ999', 'DatabaseError', 400],
  ];
  for (const [code, name, status] of cases) {
    const result = await run('DoSQL', { schema: { sql: raise(code) } });
    assert.equal(result.error?.error_code, name, code);
    assert.equal(result.envelope.command_response.http_status, status, code);
    assert.equal(
      result.error?.message,
      `Error executing sql statement: raised ${code}\nCONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE\n`,
    );
    assert.equal(result.failure, 'command', 'an SQL error is the command failing, outer status 200');
  }
});

test('real SQL mistakes come back with the names Python users catch', { skip }, async () => {
  const table = tableName('errors');
  await ok('CreateTableV2', {
    table_name: table,
    schema: {
      column_definitions: [
        { name: 'id', type: 'int primary key' },
        { name: 'name', type: 'text not null' },
      ],
    },
  });
  const code = async (name: string, params: Record<string, unknown>) => (await run(name, params)).error?.error_code;
  assert.equal(
    await code('SelectValuesV2', { table_name: `${table}_nope`, schema: { columns: ['id'] } }),
    'UndefinedTable',
  );
  assert.equal(await code('SelectValuesV2', { table_name: table, schema: { columns: ['nope'] } }), 'UndefinedColumn');
  assert.equal(
    await code('InsertValuesV2', { table_name: table, schema: { columns: ['id'], values: [[1]] } }),
    'NotNullViolation',
  );
  assert.equal(
    await code('InsertValuesV2', { table_name: table, schema: { columns: ['id', 'name'], values: [['x', 'a']] } }),
    'InvalidTextRepresentation',
  );
  await ok('InsertValuesV2', {
    table_name: table,
    schema: {
      columns: ['id', 'name'],
      values: [
        [1, 'a'],
        [2, 'b'],
      ],
    },
  });
  const duplicate = await run('UpdateValuesV2', { table_name: table, schema: { set: { id: 1 } } });
  assert.equal(duplicate.error?.error_code, 'UniqueViolation');
  assert.equal(
    duplicate.error?.message,
    `Error executing sql statement: duplicate key value violates unique constraint "${table}_pkey"\nDETAIL:  Key (id)=(1) already exists.\n`,
  );
  assert.equal(
    await code('CreateTableV2', {
      table_name: table.concat('_t'),
      schema: { column_definitions: [{ name: 'a', type: 'nosuchtype' }] },
    }),
    'UndefinedObject',
  );
  assert.equal(await code('DoSQL', { schema: { sql: 'SELECT 1/0', fetch_results: true } }), 'DivisionByZero');
  assert.equal(await code('DoSQL', { schema: { sql: 'SELECT %s; SELECT %s', values: [1, 2] } }), 'SyntaxError');
});

const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
const noPsql = skipReason ?? (psql.status === 0 ? undefined : 'psql (libpq) is not installed');
if (noPsql && !skipReason) console.warn(`\n*** SKIPPING the libpq message comparison: ${noPsql} ***\n`);

test("messages are libpq's, as psycopg2 shows them: compared with psql for the same statements", {
  skip: noPsql,
}, async () => {
  const table = tableName('psql');
  await sql(`CREATE TABLE ${table} (id int primary key, name text)`);
  await sql(`INSERT INTO ${table} VALUES (1, 'a')`);
  const statements = [
    'SELEC 1',
    `SELECT nme FROM ${table}`,
    `INSERT INTO ${table} VALUES (1, 'b')`,
    `SELECT id,\n  name\nFROM ${table}\nWHERE nope = 1`,
    `SELECT id, name, 'a rather long text to push the mistake far to the right' AS padding, 1 +* 2 FROM ${table} WHERE id = 1 AND name = 'a'`,
    `SELECT 'a long line so that the error position is near the very end of it, past sixty' FROM ${table} WHERE idd = 1`,
    "DO $$ BEGIN EXECUTE 'SELEC 1'; END $$",
    "DO $$ BEGIN RAISE EXCEPTION 'boom' USING DETAIL = 'the detail', HINT = 'the hint'; END $$",
    "SELECT 'tab\there' + 1",
  ];
  const env = { ...process.env, PGHOST: database.host, PGPORT: String(database.port), PGUSER: database.user };
  for (const statement of statements) {
    const theirs = spawnSync('psql', ['-X', '-q', '-d', database.database, '-c', statement], { encoding: 'utf8', env });
    const expected = theirs.stderr.replace(/^ERROR: {2}/, '');
    const ours = await run('DoSQL', { schema: { sql: statement } });
    assert.equal(ours.error?.message, `Error executing sql statement: ${expected}`, statement);
  }
});

test('the caret display keeps the marked character in view, cutting long lines as libpq does', () => {
  assert.equal(showPosition('SELEC 1', 1), 'LINE 1: SELEC 1\n        ^\n');
  assert.equal(showPosition('SELECT 1\nFROM x\nWHERE', 15), 'LINE 2: FROM x\n             ^\n');
  assert.equal(showPosition('a\r\nb', 4), 'LINE 2: b\n        ^\n');
  assert.equal(showPosition('abc', 9), '');
});
