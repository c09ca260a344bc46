/**
 * SQL injection through every identifier and type field, each attempt proven harmless by looking
 * at the database afterwards: the victim table is still there with its rows, no table appeared
 * that the attempt tried to create, and no other table of this run appeared unless the attempt was
 * a quoted name (which may only ever name that one table, literally).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { ourTables, PREFIX, run, skipReason, sql } from './support.js';

const skip = skipReason;
const victim = `${PREFIX}_victim`;
const pwned = `${PREFIX}_pwned`;
const VICTIM_ROWS = [
  { name: 'alice', n: 1 },
  { name: 'bob', n: 2 },
];

before(async () => {
  if (skipReason) return;
  await sql(`CREATE TABLE ${victim} (name text, n int)`);
  await sql(`INSERT INTO ${victim} VALUES ('alice', 1), ('bob', 2)`);
});

async function assertIntact(attempt: string) {
  assert.deepEqual(await sql(`SELECT name, n FROM ${victim} ORDER BY n`), VICTIM_ROWS, `victim changed by ${attempt}`);
  assert.deepEqual(await sql('SELECT to_regclass($1) AS t', [pwned]), [{ t: null }], `${pwned} made by ${attempt}`);
}

/** What an attempt through a name field must do: be refused, or name exactly one table literally. */
type Expect = 'refused' | { literal: string };

const identifierAttacks: { text: string; expect: Expect }[] = [
  { text: `${victim}; DROP TABLE ${victim}; --`, expect: 'refused' },
  { text: `${victim}; CREATE TABLE ${pwned} (x int); --`, expect: 'refused' },
  { text: `x" (a int); CREATE TABLE ${pwned} (x int); --`, expect: 'refused' },
  { text: `"x"; CREATE TABLE ${pwned} (x int); --"`, expect: 'refused' },
  { text: `${victim} CASCADE`, expect: 'refused' },
  { text: `${victim}, ${victim}`, expect: 'refused' },
  { text: `${victim} WHERE 1=1`, expect: 'refused' },
  { text: `${victim} OR 1=1`, expect: 'refused' },
  { text: `${victim}/**/`, expect: 'refused' },
  { text: `${victim}--`, expect: 'refused' },
  { text: `${victim}\n; DROP TABLE ${victim}`, expect: 'refused' },
  { text: `${victim}\u0000; DROP TABLE ${victim}`, expect: 'refused' },
  { text: '(SELECT 1)', expect: 'refused' },
  { text: 'pg_sleep(1)', expect: 'refused' },
  { text: `$$${victim}$$`, expect: 'refused' },
  { text: 'U&"\\0064"', expect: 'refused' },
  { text: `public.${victim}; DROP TABLE ${victim}`, expect: 'refused' },
  { text: 'a.b.c.d', expect: 'refused' },
  { text: '""', expect: 'refused' },
  { text: `"${victim}`, expect: 'refused' },
  { text: `'${victim}'`, expect: 'refused' },
  { text: `${victim}'; DROP TABLE ${victim}; --`, expect: 'refused' },
  // A quoted name holding SQL is a name like any other: it can only ever be that name.
  {
    text: `"${PREFIX}_q; DROP TABLE ${victim}; CREATE TABLE ${pwned} (x int); --"`,
    expect: { literal: `${PREFIX}_q; DROP TABLE ${victim}; CREATE TABLE ${pwned} (x int); --` },
  },
  {
    text: `"${PREFIX}_q"" (a int); DROP TABLE ${victim}; --"`,
    expect: { literal: `${PREFIX}_q" (a int); DROP TABLE ${victim}; --` },
  },
  // A look-alike of the double quote is an ordinary (non-ASCII) name character.
  { text: `${PREFIX}_q＂; DROP TABLE ${victim}`, expect: 'refused' },
  { text: `${PREFIX}_q＂`, expect: { literal: `${PREFIX}_q＂` } },
];

/** A name as PostgreSQL stores it: cut to 63 bytes (NAMEDATALEN - 1), never inside a character. */
function truncated(name: string): string {
  let bytes = 0;
  let kept = '';
  for (const char of name) {
    bytes += Buffer.byteLength(char);
    if (bytes > 63) break;
    kept += char;
  }
  return kept;
}

/** Every field that takes a name, as a command and its params for the attempted text. */
const nameFields: {
  field: string;
  command: string;
  params: (text: string) => Record<string, unknown>;
  table: boolean;
}[] = [
  {
    field: 'CreateTableV2 table_name',
    command: 'CreateTableV2',
    table: true,
    params: (t) => ({ table_name: t, schema: { column_definitions: [{ name: 'a', type: 'int' }] } }),
  },
  {
    field: 'CreateTableV2 column name',
    command: 'CreateTableV2',
    table: false,
    params: (t) => ({ table_name: `${PREFIX}_cols`, schema: { column_definitions: [{ name: t, type: 'int' }] } }),
  },
  { field: 'DropTableV2 table_name', command: 'DropTableV2', table: true, params: (t) => ({ table_name: t }) },
  {
    field: 'InsertValuesV2 table_name',
    command: 'InsertValuesV2',
    table: true,
    params: (t) => ({ table_name: t, schema: { columns: ['name'], values: [['eve']] } }),
  },
  {
    field: 'InsertValuesV2 columns',
    command: 'InsertValuesV2',
    table: false,
    params: (t) => ({ table_name: victim, schema: { columns: [t], values: [['eve']] } }),
  },
  {
    field: 'SelectValuesV2 table_name',
    command: 'SelectValuesV2',
    table: true,
    params: (t) => ({ table_name: t, schema: { columns: ['name'] } }),
  },
  {
    field: 'SelectValuesV2 columns',
    command: 'SelectValuesV2',
    table: false,
    params: (t) => ({ table_name: victim, schema: { columns: [t] } }),
  },
  {
    field: 'SelectValuesV2 where column',
    command: 'SelectValuesV2',
    table: false,
    params: (t) => ({ table_name: victim, schema: { columns: ['name'], where: [[t, '=', 'x']] } }),
  },
  {
    field: 'UpdateValuesV2 table_name',
    command: 'UpdateValuesV2',
    table: true,
    params: (t) => ({ table_name: t, schema: { set: { name: 'eve' } } }),
  },
  {
    field: 'UpdateValuesV2 set column',
    command: 'UpdateValuesV2',
    table: false,
    params: (t) => ({ table_name: victim, schema: { set: { [t]: 'eve' } } }),
  },
  {
    field: 'UpdateValuesV2 where column',
    command: 'UpdateValuesV2',
    table: false,
    params: (t) => ({ table_name: victim, schema: { set: { name: 'eve' }, where: [[t, '=', 'x']] } }),
  },
  {
    field: 'DeleteValuesV2 table_name',
    command: 'DeleteValuesV2',
    table: true,
    params: (t) => ({ table_name: t, schema: {} }),
  },
  {
    field: 'DeleteValuesV2 where column',
    command: 'DeleteValuesV2',
    table: false,
    params: (t) => ({ table_name: victim, schema: { where: [[t, '=', 'x']] } }),
  },
];

test('injection attempts through every table and column field are refused or name one table literally', {
  skip,
}, async () => {
  let refused = 0;
  for (const { field, command, params, table } of nameFields) {
    for (const { text, expect } of identifierAttacks) {
      const attempt = `${field} = ${JSON.stringify(text)}`;
      const tablesBefore = await ourTables();
      const result = await run(command, params(text));
      if (expect === 'refused') {
        assert.equal(
          result.error?.error_code,
          'InvalidParameters',
          `${attempt} was not refused: ${JSON.stringify(result.error)}`,
        );
        assert.equal(result.failure, 'invalid_parameters');
        refused += 1;
      } else {
        // Accepted as a name: it only ever names that table (or column), which mostly does not exist.
        assert.notEqual(result.error?.error_code, 'InvalidParameters', attempt);
      }
      await assertIntact(attempt);
      const made = (await ourTables()).filter((name) => !tablesBefore.includes(name));
      const allowed =
        expect !== 'refused' && command === 'CreateTableV2'
          ? [`public.${table ? truncated(expect.literal) : `${PREFIX}_cols`}`]
          : [];
      assert.deepEqual(
        made.filter((name) => !allowed.includes(name)),
        [],
        `${attempt} made tables`,
      );
      for (const name of made) await sql(`DROP TABLE public."${name.slice('public.'.length).replaceAll('"', '""')}"`);
    }
  }
  assert.ok(refused >= nameFields.length * 20, `only ${refused} attempts refused`);
});

const typeAttacks: { text: string; expect: 'refused' | 'literal default' }[] = [
  { text: `int); DROP TABLE ${victim}; --`, expect: 'refused' },
  { text: `int); CREATE TABLE ${pwned} (x int); --`, expect: 'refused' },
  { text: 'int, pwned int', expect: 'refused' },
  { text: `varchar(255)); DROP TABLE ${victim}; --`, expect: 'refused' },
  { text: `varchar(255; DROP TABLE ${victim})`, expect: 'refused' },
  { text: `numeric(10,2) -- ${victim}`, expect: 'refused' },
  { text: 'int /* comment */', expect: 'refused' },
  { text: `int default 1); DROP TABLE ${victim}; --`, expect: 'refused' },
  { text: `int default now()); DROP TABLE ${victim}; --`, expect: 'refused' },
  { text: `text default E'\\'); DROP TABLE ${victim}; --'`, expect: 'refused' },
  { text: 'int default (SELECT 1)', expect: 'refused' },
  { text: `int default pg_terminate_backend(pg_backend_pid())`, expect: 'refused' },
  { text: 'int check (false)', expect: 'refused' },
  { text: `int references ${victim} (n)`, expect: 'refused' },
  { text: 'text collate "C"', expect: 'refused' },
  { text: 'int generated always as (1) stored', expect: 'refused' },
  { text: `"int"); DROP TABLE ${victim}; --"`, expect: 'refused' },
  { text: `int[]; DROP TABLE ${victim}`, expect: 'refused' },
  { text: `geometry(Point, 4326); DROP TABLE ${victim}`, expect: 'refused' },
  { text: `interval; DROP TABLE ${victim}`, expect: 'refused' },
  { text: `serial primary key; DROP TABLE ${victim}`, expect: 'refused' },
  { text: `timestamp with time zone; DROP TABLE ${victim}`, expect: 'refused' },
  { text: `double precision, CONSTRAINT x CHECK (false)`, expect: 'refused' },
  { text: 'int;', expect: 'refused' },
  { text: '', expect: 'refused' },
  // A string constant holding SQL stays a constant, whatever standard_conforming_strings says.
  { text: `text default 'x''); DROP TABLE ${victim}; --'`, expect: 'literal default' },
  { text: `text default 'back\\slash''); DROP TABLE ${victim}; --'`, expect: 'literal default' },
];

test('injection attempts through column types are refused, and a quoted default stays a constant', {
  skip,
}, async () => {
  for (const { text, expect } of typeAttacks) {
    const table = `${PREFIX}_typed`;
    const attempt = `type = ${JSON.stringify(text)}`;
    const result = await run('CreateTableV2', {
      table_name: table,
      schema: { column_definitions: [{ name: 'a', type: text }] },
    });
    if (expect === 'refused') {
      assert.equal(
        result.error?.error_code,
        'InvalidParameters',
        `${attempt} was not refused: ${JSON.stringify(result.error)}`,
      );
    } else {
      assert.equal(result.error, null, attempt);
      const [row] = await sql<{ d: string }>(
        `SELECT pg_get_expr(adbin, adrelid) AS d FROM pg_attrdef WHERE adrelid = $1::regclass`,
        [table],
      );
      assert.match(row?.d ?? '', /DROP TABLE/, 'the payload is inside the default constant');
      await sql(`DROP TABLE ${table}`);
    }
    await assertIntact(attempt);
    assert.deepEqual(await sql('SELECT to_regclass($1) AS t', [table]), [{ t: null }], attempt);
  }
});

test('injection attempts through where operators are refused', { skip }, async () => {
  const operators = [
    '= 1 OR 1=1 --',
    `=; DROP TABLE ${victim}; --`,
    'IS NULL OR 1=1',
    'IN (SELECT 1)',
    "LIKE '%' --",
    '==',
    'OR',
    '= ANY',
  ];
  for (const operator of operators) {
    for (const command of ['SelectValuesV2', 'UpdateValuesV2', 'DeleteValuesV2']) {
      const result = await run(command, {
        table_name: victim,
        schema: { columns: ['name'], set: { name: 'eve' }, where: [['name', operator, 'x']] },
      });
      assert.equal(result.error?.error_code, 'InvalidParameters', `${command} operator ${operator}`);
      await assertIntact(`${command} operator ${JSON.stringify(operator)}`);
    }
  }
});

test('values are always bound: SQL in a value is stored and compared as text', { skip }, async () => {
  const payloads = [`'; DROP TABLE ${victim}; --`, "x' OR '1'='1", `$1); DROP TABLE ${victim}; --`, '%s %(x)s %%'];
  for (const payload of payloads) {
    assert.deepEqual(
      (
        await run('SelectValuesV2', {
          table_name: victim,
          schema: { columns: ['name'], where: [['name', '=', payload]] },
        })
      ).body,
      [],
    );
    assert.deepEqual(
      (await run('DeleteValuesV2', { table_name: victim, schema: { where: [['name', '=', payload]] } })).body,
      {
        result: '0 rows affected',
      },
    );
    assert.deepEqual(
      (await run('DoSQL', { schema: { sql: 'SELECT %s::text', values: [payload], fetch_results: true } })).body,
      [[payload]],
    );
    await assertIntact(`value ${JSON.stringify(payload)}`);
  }
  const table = `${PREFIX}_values`;
  await sql(`CREATE TABLE ${table} (v text)`);
  await run('InsertValuesV2', { table_name: table, schema: { columns: ['v'], values: payloads.map((p) => [p]) } });
  assert.deepEqual(
    await sql(`SELECT v FROM ${table}`),
    payloads.map((v) => ({ v })),
  );
  await assertIntact('inserted values');
});
