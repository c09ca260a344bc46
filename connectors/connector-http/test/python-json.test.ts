import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonError } from '@connector-proxy/core';
import { readPythonJson, toPythonJson } from '../src/python-json.js';

test("JSON is written with Python's separators", () => {
  assert.equal(toPythonJson({ a: 1, b: [true, null, 'x'], c: {} }), '{"a": 1, "b": [true, null, "x"], "c": {}}');
});

test('non-ASCII characters are escaped as Python ensure_ascii does, astral ones as surrogate pairs', () => {
  assert.equal(toPythonJson('Zoë 東 😀'), '"Zo\\u00eb \\u6771 \\ud83d\\ude00"');
  assert.equal(toPythonJson('\u007f'), '"\\u007f"');
});

test('quotes, backslashes and control characters are escaped', () => {
  assert.equal(toPythonJson('"\\\n\t\u0001'), '"\\"\\\\\\n\\t\\u0001"');
});

test('what JSON.parse reads back is the value written', () => {
  const value = { text: 'Zoë "quoted"', n: -1.5, list: [[], {}, 'é'] };
  assert.deepEqual(JSON.parse(toPythonJson(value)), value);
});

test("floats are written as Python's repr writes them: -0.0, and exponents below 1e-4 with two digits", () => {
  const numbers = [-0, 0, 0.0001, 0.00012, 9.99e-5, 1e-5, 1.5e-7, 1e-100, -2.5e-6, 1e21, 0.30000000000000004];
  assert.equal(
    toPythonJson(numbers),
    '[-0.0, 0, 0.0001, 0.00012, 9.99e-05, 1e-05, 1.5e-07, 1e-100, -2.5e-06, 1e+21, 0.30000000000000004]',
  );
});

test('integral numbers are written as integers, since parsed JSON no longer tells 1.0 from 1', () => {
  assert.equal(toPythonJson([1.0, 1e15, 2 ** 53]), '[1, 1000000000000000, 9007199254740992]');
});

test("NaN and Infinity literals, which Python's json accepts, are read as null; strings are left alone", () => {
  assert.deepEqual(readPythonJson('{"a": NaN, "b": [Infinity, -Infinity], "s": "NaN \\" Infinity"}'), {
    a: null,
    b: [null, null],
    s: 'NaN " Infinity',
  });
});

test("JSON that is malformed for Python too fails with the strict parser's error", () => {
  assert.throws(() => readPythonJson('{"a": NaNa}'), /Unexpected token 'N'/);
  assert.throws(() => readPythonJson('[NaN, '), /JSON/);
});

test('exact numbers are written with their digits; safe ones still as Python repr', () => {
  const value = readPythonJson('{"id": 9007199254740993, "f": 0.1000000000000000055511151231257827, "small": 1e-5}');
  assert.equal(
    toPythonJson(value),
    '{"id": 9007199254740993, "f": 0.1000000000000000055511151231257827, "small": 1e-05}',
  );
  assert.equal(toPythonJson([2n ** 64n]), '[18446744073709551616]');
});

test('numbers out of range (1e400, NaN, Infinity) are refused naming the path, as allow_nan=False does', () => {
  const big = readPythonJson('{"a": [1, {"x": 1e400}]}');
  assert.throws(
    () => toPythonJson(big, { name: 'data' }),
    (error: unknown) => error instanceof JsonError && error.path === 'data.a[1].x',
  );
  assert.throws(
    () => toPythonJson({ n: Number.NaN }, { name: 'data' }),
    /^JsonError: data\.n is NaN, out of the range/,
  );
  assert.throws(() => toPythonJson([Number.NEGATIVE_INFINITY]), /^JsonError: \[0\] is -Infinity/);
});

test('nesting beyond the bound is refused, not a stack overflow', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.throws(() => toPythonJson(deep, { name: 'data' }), /^JsonError: data is nested deeper than 1000 levels$/);
  assert.equal(toPythonJson([[1]], { maxDepth: 2 }), '[[1]]');
});

test('an upstream answer nested deeper than the bound is refused as malformed, not a crash', () => {
  assert.throws(() => readPythonJson(`${'['.repeat(5000)}${']'.repeat(5000)}`), /nested deeper than 1000 levels/);
});
