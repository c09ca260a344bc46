import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quoteLiteral, toColumnTypeSql } from '../src/column-types.js';
import { ok, skipReason, sql, tableName } from './support.js';

/** Types as diagrams write them, and what PostgreSQL's format_type shows for the column made. */
const ACCEPTED: [string, string][] = [
  ['varchar(255)', 'character varying(255)'],
  ['VARCHAR(13)', 'character varying(13)'],
  ['character varying(20)', 'character varying(20)'],
  ['char(2)', 'character(2)'],
  ['character', 'character(1)'],
  ['nchar varying(5)', 'character varying(5)'],
  ['national character(3)', 'character(3)'],
  ['text', 'text'],
  ['Text', 'text'],
  ['int', 'integer'],
  ['integer', 'integer'],
  ['smallint', 'smallint'],
  ['bigint', 'bigint'],
  ['int8', 'bigint'],
  ['serial', 'integer'],
  ['bigserial', 'bigint'],
  ['real', 'real'],
  ['float', 'double precision'],
  ['float(10)', 'real'],
  ['double precision', 'double precision'],
  ['numeric', 'numeric'],
  ['numeric(10,2)', 'numeric(10,2)'],
  ['numeric(10, 2)', 'numeric(10,2)'],
  ['decimal(5)', 'numeric(5,0)'],
  ['dec(7,3)', 'numeric(7,3)'],
  ['boolean', 'boolean'],
  ['bool', 'boolean'],
  ['bit(3)', 'bit(3)'],
  ['bit varying(8)', 'bit varying(8)'],
  ['date', 'date'],
  ['time', 'time without time zone'],
  ['time(3) with time zone', 'time(3) with time zone'],
  ['timestamp', 'timestamp without time zone'],
  ['timestamp(6) without time zone', 'timestamp(6) without time zone'],
  ['timestamp with time zone', 'timestamp with time zone'],
  ['TIMESTAMP WITH TIME ZONE', 'timestamp with time zone'],
  ['timestamptz', 'timestamp with time zone'],
  ['interval', 'interval'],
  ['interval(2)', 'interval(2)'],
  ['interval year to month', 'interval year to month'],
  ['interval day to second(3)', 'interval day to second(3)'],
  ['interval minute', 'interval minute'],
  ['uuid', 'uuid'],
  ['json', 'json'],
  ['jsonb', 'jsonb'],
  ['bytea', 'bytea'],
  ['money', 'money'],
  ['inet', 'inet'],
  ['pg_catalog.int4', 'integer'],
  ['"varchar"(4)', 'character varying(4)'],
  ['int[]', 'integer[]'],
  ['text[][]', 'text[]'],
  ['integer[3]', 'integer[]'],
  ['int array', 'integer[]'],
  ['int array[4]', 'integer[]'],
  ['varchar(10)[]', 'character varying(10)[]'],
  ['numeric(10,2)[]', 'numeric(10,2)[]'],
];

test('column types of every grammar form are accepted and make the column PostgreSQL describes', {
  skip: skipReason,
}, async () => {
  const table = tableName('types');
  const column_definitions = ACCEPTED.map(([type], index) => ({ name: `c${index}`, type }));
  assert.deepEqual(await ok('CreateTableV2', { table_name: table, schema: { column_definitions } }), { result: 'ok' });
  const rows = await sql<{ type: string }>(
    `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 ORDER BY attnum`,
    [table],
  );
  assert.deepEqual(
    rows.map((row) => row.type),
    ACCEPTED.map(([, described]) => described),
  );
});

test('column constraints Python users write after the type are accepted', { skip: skipReason }, async () => {
  const table = tableName('constraints');
  await ok('CreateTableV2', {
    table_name: table,
    schema: {
      column_definitions: [
        { name: 'id', type: 'SERIAL PRIMARY KEY' },
        { name: 'code', type: 'varchar(10) not null unique' },
        { name: 'n', type: 'int default -1 null' },
        { name: 'label', type: "text default 'it''s'" },
        { name: 'at', type: 'timestamptz default now()' },
        { name: 'flag', type: 'boolean default false' },
      ],
    },
  });
  await sql(`INSERT INTO ${table} (code) VALUES ('a')`);
  const [row] = await sql(`SELECT id, code, n, label, flag, at IS NOT NULL AS dated FROM ${table}`);
  assert.deepEqual(row, { id: 1, code: 'a', n: -1, label: "it's", flag: false, dated: true });
  await assert.rejects(sql(`INSERT INTO ${table} (code) VALUES ('a')`), /duplicate key/);
});

test('a type outside the grammar is refused with what is wrong, before anything runs', () => {
  const refused: [string, RegExp][] = [
    ['', /is empty/],
    ['int;', /has ";"/],
    ['varchar(', /the text ends/],
    ['varchar(x)', /has "x" where a whole number should be/],
    ['numeric(10,2,3)', /has "," where "\)" should be/],
    ['double', /where "precision" should be/],
    ['timestamp with zone', /where "time" should be/],
    ['interval month to day', /after "month to"/],
    ['setof int', /setof is not a column type/],
    ['int default random()', /where a default constant should be/],
    ['int references other', /has "references" where the type ends/],
    ['text collate "C"', /where the type ends/],
    ["text default 'open", /without its closing/],
  ];
  for (const [text, problem] of refused) {
    const result = toColumnTypeSql(text);
    assert.ok('problem' in result, `${text} was accepted as ${JSON.stringify(result)}`);
    assert.match(result.problem, problem, text);
  }
});

test('types are written back from their parts: names quoted, keywords and numbers as parsed', () => {
  assert.deepEqual(toColumnTypeSql('  VarChar ( 255 ) '), { sql: 'varchar(255)' });
  assert.deepEqual(toColumnTypeSql('MySchema."My Type"[]'), { sql: '"myschema"."My Type"[]' });
  assert.deepEqual(toColumnTypeSql('geometry(Point, 4326)'), { sql: '"geometry"("point",4326)' });
  assert.deepEqual(toColumnTypeSql('numeric(10,-2)'), { sql: 'numeric(10,-2)' });
  assert.deepEqual(toColumnTypeSql("text default 'a\\b'"), { sql: '"text" default E\'a\\\\b\'' });
});

test('quoteLiteral doubles quotes and escapes backslashes as PostgreSQL quote_literal does', {
  skip: skipReason,
}, async () => {
  for (const value of ['plain', "it's", 'back\\slash', "\\'; DROP TABLE x; --", "''", '\\']) {
    const [row] = await sql<{ same: string; ours: string }>(
      `SELECT quote_literal($1::text) AS same, ${quoteLiteral(value)}::text AS ours`,
      [value],
    );
    assert.equal(row?.ours, value, value);
    assert.equal(quoteLiteral(value), row?.same, value);
  }
});
