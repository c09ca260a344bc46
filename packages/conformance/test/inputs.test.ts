import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decode } from '../src/http.js';
import { applyBaseline, parseBaseline, parseCases } from '../src/index.js';
import { check } from '../src/result.js';

test('a baseline is read from text lines, YAML-style items or JSON, with comments and prefixes', () => {
  assert.deepEqual(parseBaseline('# known\ndo.body-array\n\n  do.missing-parameters[*  # all of them\n'), [
    'do.body-array',
    'do.missing-parameters[*',
  ]);
  assert.deepEqual(parseBaseline('server:\n  - "commands.shape"\n  - auths\n'), ['commands.shape', 'auths']);
  assert.deepEqual(parseBaseline('["a", "b"]'), ['a', 'b']);
  assert.deepEqual(parseBaseline('{"expectedFailures": ["c"]}'), ['c']);
  assert.throws(() => parseBaseline('{"expectedFailures": [1]}'), /a JSON baseline must be a list of check ids/);
});

test('an expected failure does not fail the run; a listed check that passes is stale; a prefix entry matches many', () => {
  const results = [
    check('do.missing-parameters[a/B]', 'FAIL', 'x'),
    check('do.missing-parameters[c/D]', 'FAIL', 'x'),
    check('auths', 'PASS', 'x'),
    check('home', 'WARN', 'x'),
  ];
  const judged = applyBaseline('http://127.0.0.1:1', results, ['do.missing-parameters[*', 'auths', 'home']);
  assert.deepEqual(judged.summary, { passed: 1, failed: 0, warnings: 1, skipped: 0, expectedFailures: 2 });
  assert.equal(judged.ok, true);
  assert.deepEqual(judged.staleBaseline, ['auths']);
  assert.deepEqual(judged.unknownBaseline, []);
  const strict = applyBaseline('http://127.0.0.1:1', results, []);
  assert.equal(strict.ok, false);
  assert.equal(strict.summary.failed, 2);
});

test('cases are read from one object, a list or {"cases": [...]}, and a mistake names the file and the case', () => {
  const one = { command: 'example/Example', params: { message: 'hi' }, expect: { outcome: 'result' } };
  assert.deepEqual(parseCases(JSON.stringify(one), 'a.json'), [{ name: 'example/Example', ...one }]);
  assert.equal(parseCases(JSON.stringify([one, one]), 'a.json').length, 2);
  assert.equal(parseCases(JSON.stringify({ cases: [one] }), 'a.json').length, 1);
  const waiting = {
    command: 'slow/Job',
    expect: { outcome: 'waiting', callback: { outcome: 'error', errorCode: 'X' } },
  };
  assert.deepEqual(parseCases(JSON.stringify(waiting), 'w.json')[0]?.expect, waiting.expect);
  assert.throws(() => parseCases('{', 'b.json'), /^Error: b\.json is not valid JSON/);
  assert.throws(
    () => parseCases(JSON.stringify([one, { ...one, command: 'nope' }]), 'c.json'),
    /^Error: c\.json case 2: "command" must be "connector\/Command"$/,
  );
  assert.throws(
    () => parseCases(JSON.stringify({ ...one, expect: { outcome: 'result', errorCode: 'X' } }), 'd.json'),
    /"expect\.errorCode" is a text, and only for "outcome": "error"/,
  );
  assert.throws(
    () =>
      parseCases(JSON.stringify({ ...one, expect: { outcome: 'result', callback: { outcome: 'result' } } }), 'e.json'),
    /"expect\.callback" is only for "outcome": "waiting"/,
  );
});

test("bodies are decoded as requests' Response.text: the named charset, else ISO-8859-1 for text types", () => {
  const bytes = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0xa9, 0x22, 0x7d]); // {"a":"é"} in UTF-8
  assert.equal(decode(bytes, 'application/json'), '{"a":"é"}');
  assert.equal(decode(bytes, 'text/html; charset=utf-8'), '{"a":"é"}');
  assert.equal(decode(bytes, 'text/html'), '{"a":"Ã©"}', 'still JSON, read as Latin-1');
  assert.equal(
    decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), 'application/json'),
    '\ufeff{}',
    'the BOM is kept',
  );
  assert.equal(decode(new Uint8Array([]), 'application/json'), '');
});
