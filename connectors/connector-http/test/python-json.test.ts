import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toPythonJson } from '../src/python-json.js';

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
