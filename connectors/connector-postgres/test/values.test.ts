import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toWireResponse } from '@connector-proxy/core';
import { isLosslessNumber, LosslessNumber, stringify } from 'lossless-json';
import { byteaToBase64, isoInterval, toExactNumber, toParameter } from '../src/values.js';
import { ok, run, skipReason, sql } from './support.js';

const skip = skipReason;
const exact = (text: string) => new LosslessNumber(text);

/** One row of DoSQL for a select list. */
async function row(selectList: string): Promise<unknown[]> {
  const rows = (await ok('DoSQL', { schema: { sql: `SELECT ${selectList}`, fetch_results: true } })) as unknown[][];
  return rows[0] ?? [];
}

test('numeric and int8 come back exact: a number when a double prints the same digits, else exact', {
  skip,
}, async () => {
  assert.deepEqual(
    await row(
      `5::int8, 9223372036854775807::int8, -9007199254740993::int8, 12.5::numeric, 12.50::numeric(10,2),
       12345678901234567890.123456789::numeric, 0.0000001::numeric, 'NaN'::numeric, 42::int4, 7::int2, 26::oid`,
    ),
    [
      5,
      exact('9223372036854775807'),
      exact('-9007199254740993'),
      12.5,
      exact('12.50'),
      exact('12345678901234567890.123456789'),
      exact('0.0000001'),
      'NaN',
      42,
      7,
      26,
    ],
  );
  assert.deepEqual(await row(`0.1::float8, 1.5::float4, 'NaN'::float8, '-Infinity'::float8, true, false`), [
    0.1,
    1.5,
    'NaN',
    '-Infinity',
    true,
    false,
  ]);
});

test('dates, times and timestamps come back as ISO 8601 text, with the offset of the session', { skip }, async () => {
  assert.deepEqual(
    await row(
      `'2024-02-29'::date, '0044-03-15 BC'::date, 'infinity'::date, '2024-01-02 03:04:05.123456'::timestamp,
       '0001-01-01 00:00:00 BC'::timestamp, '03:04:05'::time`,
    ),
    ['2024-02-29', '-0043-03-15', 'infinity', '2024-01-02T03:04:05.123456', '0000-01-01T00:00:00', '03:04:05'],
  );
  assert.deepEqual(
    (
      await row(
        `set_config('TimeZone', 'Asia/Kolkata', true), '2024-01-02 03:04:05Z'::timestamptz, '03:04:05+02'::timetz`,
      )
    ).slice(1),
    ['2024-01-02T08:34:05+05:30', '03:04:05+02:00'],
  );
  assert.deepEqual((await row(`set_config('TimeZone', 'UTC', true), '2024-01-02 03:04:05.5Z'::timestamptz`)).slice(1), [
    '2024-01-02T03:04:05.5+00:00',
  ]);
});

test("intervals come back as the ISO 8601 duration PostgreSQL's iso_8601 style prints", { skip }, async () => {
  const intervals = [
    '1 year 2 mons 3 days 04:05:06.5',
    '-1 years -2 mons +3 days -04:05:06',
    '0',
    '1 day',
    '-00:00:01',
    '36 hours',
    '00:00:00.000001',
    '1 mon -1 days',
  ];
  for (const text of intervals) {
    const [postgres] = await sql<{ v: string }>('SELECT $1::interval::text AS v', [text]);
    const [iso] = await sql<{ v: string }>(
      "SELECT set_config('IntervalStyle', 'iso_8601', false), $1::interval::text AS v",
      [text],
    );
    await sql("SET IntervalStyle = 'postgres'");
    assert.equal(isoInterval(postgres?.v ?? ''), iso?.v, text);
    assert.deepEqual(await row(`'${text}'::interval`), [iso?.v]);
  }
  assert.equal(isoInterval('P1D'), 'P1D', 'other styles pass through');
});

test('bytea comes back as base64, uuid and other types as their text, json with exact numbers', { skip }, async () => {
  const [bytes, id, json, jsonb, point, inet, text] = await row(
    `'\\x0102ff'::bytea, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, '{"a": 12345678901234567890, "b": [1.5, "x"]}'::json,
     '{"n": 0.1}'::jsonb, '(1,2)'::point, '10.0.0.1'::inet, 'héllo'::text`,
  );
  assert.equal(bytes, 'AQL/');
  assert.equal(id, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
  assert.deepEqual(json, { a: exact('12345678901234567890'), b: [1.5, 'x'] });
  assert.deepEqual(jsonb, { n: 0.1 });
  assert.deepEqual([point, inet, text], ['(1,2)', '10.0.0.1', 'héllo']);
  assert.deepEqual((await row(`set_config('bytea_output', 'escape', true), '\\x00015cff'::bytea`)).slice(1), [
    'AAFc/w==',
  ]);
  assert.equal(byteaToBase64('a\\\\b\\001'), Buffer.from('a\\b\u0001').toString('base64'));
});

test('arrays come back as lists of the same JSON-safe values', { skip }, async () => {
  assert.deepEqual(
    await row(
      `ARRAY[1, 9223372036854775807]::int8[], ARRAY[1.5, 2.50]::numeric[], ARRAY['2024-01-01'::date, NULL],
       ARRAY['a', 'b "c"', NULL, '{x}']::text[], ARRAY[[1, 2], [3, 4]]::int[], ARRAY['\\x01'::bytea], '{}'::int[]`,
    ),
    [
      [1, exact('9223372036854775807')],
      [1.5, exact('2.50')],
      ['2024-01-01', null],
      ['a', 'b "c"', null, '{x}'],
      [
        [1, 2],
        [3, 4],
      ],
      ['AQ=='],
      [],
    ],
  );
});

test('values are bound as PostgreSQL reads them: exact numbers as their digits, objects as JSON', {
  skip,
}, async () => {
  assert.equal(toParameter(exact('12345678901234567890.10')), '12345678901234567890.10');
  assert.equal(toParameter({ a: exact('1e400') }), '{"a":1e400}');
  assert.deepEqual(toParameter([exact('1'), { b: 2 }, null]), ['1', '{"b":2}', null]);
  const [[big, doc, list]] = (await ok('DoSQL', {
    schema: {
      sql: 'SELECT %s::numeric + 1, %s::jsonb, %s::int[]',
      values: [exact('12345678901234567890.10'), { a: [1, exact('98765432109876543210')] }, [1, 2]],
      fetch_results: true,
    },
  })) as [[unknown, unknown, unknown]];
  assert.deepEqual(big, exact('12345678901234567891.10'));
  assert.deepEqual(doc, { a: [1, exact('98765432109876543210')] });
  assert.deepEqual(list, [1, 2]);
});

test('an exact-number JSON writer puts the very digits on the wire', { skip }, async () => {
  const result = await run('DoSQL', {
    schema: { sql: 'SELECT 9223372036854775807::int8, 0.10::numeric', fetch_results: true },
  });
  const wire = toWireResponse(result.invocation, (value) => stringify(value) ?? 'null');
  assert.match(wire.body ?? '', /"body":\[\[9223372036854775807,0.10\]\]/);
  assert.ok(isLosslessNumber(toExactNumber('9223372036854775807')));
  assert.equal(toExactNumber('-12'), -12);
});
