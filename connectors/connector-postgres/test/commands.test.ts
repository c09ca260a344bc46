import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ok, run, skipReason, sql, tableName } from './support.js';

const skip = skipReason;

/** The Python README's `states` table, under a name of this run. */
async function statesTable(name = tableName('states')) {
  assert.deepEqual(
    await ok('CreateTableV2', {
      table_name: name,
      schema: {
        column_definitions: [
          { name: 'country', type: 'varchar(255)' },
          { name: 'state', type: 'varchar(13)' },
          { name: 'abbrev', type: 'char(2)' },
          { name: 'somenum', type: 'int' },
        ],
      },
    }),
    { result: 'ok' },
  );
  return name;
}

async function insertStates(name: string) {
  return ok('InsertValuesV2', {
    table_name: name,
    schema: {
      columns: ['country', 'state', 'abbrev', 'somenum'],
      values: [
        ['USA', 'Georgia', 'GA', 33],
        ['USA', 'Virginia', 'VA', 55],
      ],
    },
  });
}

test('CreateTableV2 makes the table of the Python README, with the types PostgreSQL shows for it', {
  skip,
}, async () => {
  const name = await statesTable();
  const columns = await sql<{ column_name: string; type: string }>(
    `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
     WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [name],
  );
  assert.deepEqual(columns, [
    { column_name: 'country', type: 'character varying(255)' },
    { column_name: 'state', type: 'character varying(13)' },
    { column_name: 'abbrev', type: 'character(2)' },
    { column_name: 'somenum', type: 'integer' },
  ]);
  // IF NOT EXISTS, as in Python: a second run is "ok" and PostgreSQL's notice is logged.
  const again = await run('CreateTableV2', {
    table_name: name,
    schema: { column_definitions: [{ name: 'x', type: 'int' }] },
  });
  assert.deepEqual(again.body, { result: 'ok' });
  assert.ok(
    again.logs.some((line) => line === `notice: relation "${name}" already exists, skipping`),
    String(again.logs),
  );
});

test('InsertValuesV2 inserts every row in one go and answers "N rows affected"', { skip }, async () => {
  const name = await statesTable();
  assert.deepEqual(await insertStates(name), { result: '2 rows affected' });
  assert.deepEqual(await sql(`SELECT country, state, abbrev, somenum FROM ${name} ORDER BY somenum`), [
    { country: 'USA', state: 'Georgia', abbrev: 'GA', somenum: 33 },
    { country: 'USA', state: 'Virginia', abbrev: 'VA', somenum: 55 },
  ]);
  assert.deepEqual(await ok('InsertValuesV2', { table_name: name, schema: { columns: ['country'], values: [] } }), {
    result: '0 rows affected',
  });
});

test('InsertValuesV2 is all or nothing: a failing row leaves no row of the call behind', { skip }, async () => {
  const name = tableName('unique');
  await ok('CreateTableV2', {
    table_name: name,
    schema: { column_definitions: [{ name: 'id', type: 'int primary key' }] },
  });
  const result = await run('InsertValuesV2', {
    table_name: name,
    schema: { columns: ['id'], values: [[1], [2], [1]] },
  });
  assert.equal(result.error?.error_code, 'UniqueViolation');
  assert.deepEqual(await sql(`SELECT count(*)::int AS n FROM ${name}`), [{ n: 0 }]);
});

test('InsertValuesV2 splits a long insert below PostgreSQL parameter limit, in the same transaction', {
  skip,
}, async () => {
  const name = tableName('many');
  await ok('CreateTableV2', {
    table_name: name,
    schema: {
      column_definitions: [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'int' },
      ],
    },
  });
  const values = Array.from({ length: 40_000 }, (_, i) => [i, i * 2]);
  assert.deepEqual(await ok('InsertValuesV2', { table_name: name, schema: { columns: ['a', 'b'], values } }), {
    result: '40000 rows affected',
  });
  assert.deepEqual(await sql(`SELECT count(*)::int AS n, sum(b)::bigint AS s FROM ${name}`), [
    { n: 40_000, s: String(40_000 * 39_999) },
  ]);
});

test('SelectValuesV2 answers rows as lists of values in column order, with and without where', { skip }, async () => {
  const name = await statesTable();
  await insertStates(name);
  const columns = ['country', 'state', 'abbrev', 'somenum'];
  assert.deepEqual(await ok('SelectValuesV2', { table_name: name, schema: { columns } }), [
    ['USA', 'Georgia', 'GA', 33],
    ['USA', 'Virginia', 'VA', 55],
  ]);
  assert.deepEqual(
    await ok('SelectValuesV2', { table_name: name, schema: { columns, where: [['somenum', '=', 33]] } }),
    [['USA', 'Georgia', 'GA', 33]],
  );
  assert.deepEqual(
    await ok('SelectValuesV2', {
      table_name: name,
      schema: {
        columns: ['country'],
        where: [
          ['somenum', '=', 33],
          ['country', '!=', 'X'],
        ],
      },
    }),
    [['USA']],
  );
  assert.deepEqual(await ok('SelectValuesV2', { table_name: name, schema: { columns, where: [] } }), [
    ['USA', 'Georgia', 'GA', 33],
    ['USA', 'Virginia', 'VA', 55],
  ]);
  assert.deepEqual(await ok('SelectValuesV2', { table_name: name, schema: { columns: ['*'] } }), [
    ['USA', 'Georgia', 'GA', 33],
    ['USA', 'Virginia', 'VA', 55],
  ]);
  assert.deepEqual(
    await ok('SelectValuesV2', { table_name: name, schema: { columns, where: [['somenum', '>', 100]] } }),
    [],
  );
});

test('where takes < and > as in Python, plus <=, >=, <>, IN, NOT IN, LIKE, ILIKE, IS NULL, IS NOT NULL', {
  skip,
}, async () => {
  const name = await statesTable();
  await insertStates(name);
  await ok('InsertValuesV2', {
    table_name: name,
    schema: { columns: ['country', 'somenum'], values: [['Mexico', null]] },
  });
  const select = async (where: unknown[]) =>
    ok('SelectValuesV2', { table_name: name, schema: { columns: ['country', 'somenum'], where } });
  assert.deepEqual(await select([['somenum', '<', 40]]), [['USA', 33]]);
  assert.deepEqual(await select([['somenum', '>', 40]]), [['USA', 55]]);
  assert.deepEqual(await select([['somenum', '<=', 33]]), [['USA', 33]]);
  assert.deepEqual(await select([['somenum', '>=', 55]]), [['USA', 55]]);
  assert.deepEqual(await select([['somenum', '<>', 33]]), [['USA', 55]]);
  assert.deepEqual(await select([['somenum', 'in', [33, 55, 77]]]), [
    ['USA', 33],
    ['USA', 55],
  ]);
  assert.deepEqual(await select([['somenum', 'IN', []]]), []);
  assert.deepEqual(await select([['somenum', 'not in', [33]]]), [['USA', 55]]);
  assert.deepEqual(await select([['country', 'LIKE', 'Mex%']]), [['Mexico', null]]);
  assert.deepEqual(await select([['country', 'ilike', 'mex%']]), [['Mexico', null]]);
  assert.deepEqual(await select([['country', 'not like', 'U%']]), [['Mexico', null]]);
  assert.deepEqual(await select([['somenum', 'is null']]), [['Mexico', null]]);
  assert.deepEqual(await select([['somenum', 'IS NULL', null]]), [['Mexico', null]]);
  assert.deepEqual(
    await select([
      ['somenum', 'is not null'],
      ['country', '=', 'USA'],
      ['somenum', '<', 50],
    ]),
    [['USA', 33]],
  );
  // As in Python, `= null` compares with NULL and matches nothing: IS NULL is the way.
  assert.deepEqual(await select([['somenum', '=', null]]), []);
});

test('UpdateValuesV2 sets columns from the set object, where entries choose the rows (all without)', {
  skip,
}, async () => {
  const name = await statesTable();
  await insertStates(name);
  assert.deepEqual(
    await ok('UpdateValuesV2', { table_name: name, schema: { set: { abbrev: 'ZZ' }, where: [['abbrev', '=', 'VA']] } }),
    { result: '1 rows affected' },
  );
  assert.deepEqual(await sql(`SELECT abbrev FROM ${name} ORDER BY somenum`), [{ abbrev: 'GA' }, { abbrev: 'ZZ' }]);
  assert.deepEqual(await ok('UpdateValuesV2', { table_name: name, schema: { set: { abbrev: 'XX', somenum: 1 } } }), {
    result: '2 rows affected',
  });
  assert.deepEqual(await sql(`SELECT DISTINCT abbrev, somenum FROM ${name}`), [{ abbrev: 'XX', somenum: 1 }]);
});

test('DeleteValuesV2 deletes the rows the where entries choose, and every row without them', { skip }, async () => {
  const name = await statesTable();
  await insertStates(name);
  assert.deepEqual(await ok('DeleteValuesV2', { table_name: name, schema: { where: [['somenum', '=', 33]] } }), {
    result: '1 rows affected',
  });
  assert.deepEqual(await sql(`SELECT state FROM ${name}`), [{ state: 'Virginia' }]);
  assert.deepEqual(await ok('DeleteValuesV2', { table_name: name, schema: {} }), { result: '1 rows affected' });
  assert.deepEqual(await sql(`SELECT count(*)::int AS n FROM ${name}`), [{ n: 0 }]);
});

test('DropTableV2 drops the table and is "ok" when it is already gone', { skip }, async () => {
  const name = await statesTable();
  assert.deepEqual(await ok('DropTableV2', { table_name: name }), { result: 'ok' });
  assert.deepEqual(await sql('SELECT to_regclass($1) AS t', [name]), [{ t: null }]);
  assert.deepEqual(await ok('DropTableV2', { table_name: name }), { result: 'ok' });
});

test('unquoted names fold to lower case as in SQL: States reaches the table states that Python made', {
  skip,
}, async () => {
  const name = await statesTable();
  await insertStates(name);
  const shouted = name.toUpperCase();
  assert.deepEqual(
    await ok('SelectValuesV2', {
      table_name: shouted,
      schema: { columns: ['COUNTRY', 'SomeNum'], where: [['ABBREV', '=', 'GA']] },
    }),
    [['USA', 33]],
  );
  assert.deepEqual(
    await ok('UpdateValuesV2', {
      table_name: shouted,
      schema: { set: { SOMENUM: 34 }, where: [['Abbrev', '=', 'GA']] },
    }),
    {
      result: '1 rows affected',
    },
  );
  assert.deepEqual(await ok('DropTableV2', { table_name: shouted }), { result: 'ok' });
  assert.deepEqual(await sql('SELECT to_regclass($1) AS t', [name]), [{ t: null }]);
});

test('"quoted" names keep their case and characters, and schema.table names another schema', { skip }, async () => {
  const schemaName = tableName('Schema');
  await sql(`CREATE SCHEMA "${schemaName}"`);
  const quoted = `"${schemaName}"."My Table ""2"""`;
  await ok('CreateTableV2', {
    table_name: quoted,
    schema: {
      column_definitions: [
        { name: '"Mixed Case"', type: 'text' },
        { name: 'plain', type: 'int' },
      ],
    },
  });
  await ok('InsertValuesV2', {
    table_name: quoted,
    schema: { columns: ['"Mixed Case"', 'Plain'], values: [['a', 1]] },
  });
  assert.deepEqual(await sql(`SELECT "Mixed Case", plain FROM "${schemaName}"."My Table ""2"""`), [
    { 'Mixed Case': 'a', plain: 1 },
  ]);
  assert.deepEqual(
    await ok('SelectValuesV2', {
      table_name: quoted,
      schema: { columns: ['"Mixed Case"'], where: [['"Mixed Case"', '=', 'a']] },
    }),
    [['a']],
  );
  const lower = tableName('lower');
  await sql(`CREATE SCHEMA ${lower}`);
  await ok('CreateTableV2', {
    table_name: `${lower.toUpperCase()}.Things`,
    schema: { column_definitions: [{ name: 'a', type: 'int' }] },
  });
  assert.deepEqual(await sql('SELECT to_regclass($1)::text AS t', [`${lower}.things`]), [{ t: `${lower}.things` }]);
});

test('DoSQL runs the SQL with %s values, %(name)s values or $1, and fetch_results returns the rows', {
  skip,
}, async () => {
  const name = await statesTable();
  await insertStates(name);
  const fetch = (schema: Record<string, unknown>) => ok('DoSQL', { schema: { fetch_results: true, ...schema } });
  assert.deepEqual(
    await fetch({ sql: `SELECT state FROM ${name} WHERE somenum > %s AND country = %s`, values: [40, 'USA'] }),
    [['Virginia']],
  );
  assert.deepEqual(
    await fetch({
      sql: `SELECT state FROM ${name} WHERE somenum IN (%(a)s, %(b)s) OR abbrev = %(a)s::text`,
      values: { a: 33, b: 1 },
    }),
    [['Georgia']],
  );
  assert.deepEqual(await fetch({ sql: `SELECT state FROM ${name} WHERE somenum = $1`, values: [55] }), [['Virginia']]);
  // psycopg2's %% is a literal %, as the Python connector's diagrams write LIKE patterns.
  assert.deepEqual(
    await fetch({ sql: `SELECT state FROM ${name} WHERE state LIKE 'V%%' AND somenum > %s`, values: [0] }),
    [['Virginia']],
  );
  assert.deepEqual(await ok('DoSQL', { schema: { sql: `UPDATE ${name} SET somenum = somenum + %s`, values: [1] } }), {
    result: '2 rows affected',
  });
  assert.deepEqual(await ok('DoSQL', { schema: { sql: `CREATE INDEX ON ${name} (somenum)` } }), { result: 'ok' });
  // Without values several statements run at once, as with psycopg2; the last one's count is answered.
  assert.deepEqual(await ok('DoSQL', { schema: { sql: `DELETE FROM ${name} WHERE somenum = 34; SELECT 1` } }), {
    result: '1 rows affected',
  });
  assert.deepEqual(
    await fetch({ sql: `INSERT INTO ${name} (state) VALUES (%s) RETURNING state, somenum`, values: ['Ohio'] }),
    [['Ohio', null]],
  );
  assert.deepEqual(await fetch({ sql: `SELECT state FROM ${name} WHERE false` }), []);
});

test('DoSQL discards session settings before its connection is used again', { skip }, async () => {
  const fetch = (text: string) => ok('DoSQL', { schema: { sql: text, fetch_results: true } });
  const [[pid]] = (await fetch("SELECT pg_backend_pid(), set_config('search_path', 'nowhere', false)")) as [[number]];
  const [[samePid, path]] = (await fetch("SELECT pg_backend_pid(), current_setting('search_path')")) as [
    [number, string],
  ];
  assert.equal(samePid, pid, 'the pool gave the same connection back');
  assert.notEqual(path, 'nowhere');
});

test('a failing statement rolls back the whole command, and fetch_results commits only after reading', {
  skip,
}, async () => {
  const name = await statesTable();
  const failing = await run('DoSQL', {
    schema: { sql: `INSERT INTO ${name} (somenum) VALUES (1); SELECT 1/0` },
  });
  assert.equal(failing.error?.error_code, 'DivisionByZero');
  assert.deepEqual(await sql(`SELECT count(*)::int AS n FROM ${name}`), [{ n: 0 }]);
  // Python commits before fetching, so its INSERT stays although the command fails; ours rolls back.
  const noRows = await run('DoSQL', {
    schema: { sql: `INSERT INTO ${name} (somenum) VALUES (2)`, fetch_results: true },
  });
  assert.equal(noRows.error?.error_code, 'ProgrammingError');
  assert.equal(noRows.error?.message, 'Error executing sql statement: no results to fetch\n');
  assert.deepEqual(await sql(`SELECT count(*)::int AS n FROM ${name}`), [{ n: 0 }]);
});

test('logs say which database and the SQL built, never the password; the envelope is version 2', { skip }, async () => {
  const name = await statesTable();
  const result = await run('SelectValuesV2', {
    database_connection_str: `${(await import('./support.js')).CONNECTION} password=Sekret-Pw`,
    table_name: name,
    schema: { columns: ['state'], where: [['somenum', '=', 1]] },
  });
  assert.equal(result.error, null);
  assert.equal(result.envelope.command_response_version, 2);
  assert.equal(result.envelope.command_response.mimetype, 'application/json');
  assert.ok(result.logs.includes(`SELECT "state" FROM "${name}" WHERE "somenum" = $1`), String(result.logs));
  assert.ok(!JSON.stringify(result.envelope).includes('Sekret-Pw'));
});
