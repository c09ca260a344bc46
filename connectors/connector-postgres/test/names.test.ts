import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseName, quoteIdentifier, readTableName } from '../src/identifiers.js';
import { toNumberedSql } from '../src/placeholders.js';
import { buildWhere, WHERE_OPERATORS } from '../src/where.js';

test('names fold and qualify as PostgreSQL reads them', () => {
  const cases: [string, string[]][] = [
    ['states', ['states']],
    ['States', ['states']],
    ['  STATES  ', ['states']],
    ['public.States', ['public', 'states']],
    ['public . states', ['public', 'states']],
    ['"States"', ['States']],
    ['"My ""quoted"" table"', ['My "quoted" table']],
    ['"sch"."T"', ['sch', 'T']],
    ['_x$1', ['_x$1']],
    ['Ünïcödé', ['Ünïcödé']],
    ['user', ['user']],
  ];
  for (const [text, parts] of cases) assert.deepEqual(parseName(text, 2), { parts }, text);
});

test('anything that is not a name is a problem, said plainly', () => {
  const cases: [string, RegExp][] = [
    ['', /is empty/],
    ['a b', /has a space inside a name/],
    ['a\n; DROP', /has a space inside a name/],
    ['a;b', /has ";" where a name ends/],
    ['1abc', /has "1" where a name should start/],
    ['"open', /without its closing/],
    ['""', /empty quoted name/],
    ['a.b.c', /too many parts/],
    ['"a\u0000"', /NUL/],
    ['\ud800x', /not valid Unicode/],
  ];
  for (const [text, problem] of cases) {
    const result = parseName(text, 2);
    assert.ok('problem' in result, text);
    assert.match(result.problem, problem, text);
  }
  assert.deepEqual(parseName('public.x', 1), { problem: 'must be a single name, not a qualified one' });
});

test('every name reaches SQL quoted, with quotes doubled', () => {
  assert.equal(quoteIdentifier('a"b'), '"a""b"');
  assert.equal(readTableName('Public."T x"', 'table_name'), '"public"."T x"');
  assert.throws(() => readTableName('t; DROP TABLE x', 'table_name'), {
    code: 'InvalidParameters',
    message: 'invalid parameters: table_name is not a table name: "t; DROP TABLE x" has ";" where a name ends',
  });
});

test('where entries become AND-ed conditions with numbered parameters from the given one', () => {
  assert.deepEqual(buildWhere(undefined, 'schema.where', 1), { sql: '', values: [] });
  assert.deepEqual(buildWhere([], 'schema.where', 1), { sql: '', values: [] });
  assert.deepEqual(
    buildWhere(
      [
        ['somenum', '=', 33],
        ['Country', ' not  in ', ['A', 'B']],
        ['x', 'is null'],
        ['y', 'IN', []],
      ],
      'schema.where',
      3,
    ),
    { sql: 'WHERE "somenum" = $3 AND "country" NOT IN ($4, $5) AND "x" IS NULL AND FALSE', values: [33, 'A', 'B'] },
  );
  assert.deepEqual(WHERE_OPERATORS.slice(0, 4), ['=', '!=', '<', '>']);
});

test('malformed where entries are InvalidParameters naming the entry', () => {
  const cases: [unknown, RegExp][] = [
    [{ a: 1 }, /schema.where must be a list/],
    [['a', '=', 1], /schema.where\[0\] must be a list/],
    [[['a', '=']], /schema.where\[0\] must have 3 items/],
    [[[1, '=', 1]], /schema.where\[0\]\[0\] must be a column name/],
    [[['a', 'LIKE ANY', 1]], /schema.where\[0\]\[1\] is not a supported operator: "LIKE ANY" \(use one of =, !=, <, >/],
    [[['a', 'in', 1]], /must be a list for IN/],
    [[['a', 'is null', 1]], /no value, or null/],
  ];
  for (const [where, problem] of cases) {
    assert.throws(() => buildWhere(where, 'schema.where', 1), { code: 'InvalidParameters', message: problem });
  }
});

test('psycopg2 placeholders become numbered ones; values never enter the text', () => {
  assert.deepEqual(toNumberedSql('SELECT %s, %s', [1, 'a'], 'schema'), { sql: 'SELECT $1, $2', values: [1, 'a'] });
  assert.deepEqual(toNumberedSql("LIKE 'a%%' AND x = %s", ["'; --"], 'schema'), {
    sql: "LIKE 'a%' AND x = $1",
    values: ["'; --"],
  });
  assert.deepEqual(toNumberedSql('%(a)s + %(b)s + %(a)s', { a: 1, b: 2, c: 3 }, 'schema'), {
    sql: '$1 + $2 + $1',
    values: [1, 2],
  });
  assert.deepEqual(toNumberedSql('SELECT $1::int', [5], 'schema'), { sql: 'SELECT $1::int', values: [5] });
  assert.deepEqual(toNumberedSql("SELECT '100%%'", [], 'schema'), { sql: "SELECT '100%'", values: [] });
  assert.deepEqual(toNumberedSql("SELECT '100%%'", null, 'schema'), { sql: "SELECT '100%%'", values: [] });
  const refused: [string, unknown, RegExp][] = [
    ['SELECT %s, %s', [1], /has 2 %s placeholders but schema.values has 1 value$/],
    ['SELECT %s', [1, 2], /has 1 %s placeholder but schema.values has 2 values/],
    ['SELECT %s, %(a)s', { a: 1 }, /mixes %s and %\(name\)s/],
    ['SELECT %(a)s', [1], /must be an object for %\(name\)s/],
    ['SELECT %(a)s', { b: 1 }, /has no "a"/],
    ['SELECT %s', 'x', /must be a list \(for %s\) or an object/],
  ];
  for (const [sql, values, problem] of refused) {
    assert.throws(() => toNumberedSql(sql, values, 'schema'), { code: 'InvalidParameters', message: problem }, sql);
  }
});
