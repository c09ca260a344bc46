import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeJsonLine, escapeLogField } from '../src/request-log.js';
import { formatLogEntry } from '../src/serve.js';

test('printable text stays as it is in a text log field', () => {
  for (const text of ['/v1/do/http/GetRequestV2', 'café/Ünïcode', '東京/данные', 'emoji👍/ok']) {
    assert.equal(escapeLogField(text), text);
  }
});

test('controls, separators, spaces, invisible and bidi characters are escaped, and so is the backslash', () => {
  const cases: [string, string][] = [
    ['a\nb', 'a\\x0Ab'],
    ['a\r\nb', 'a\\x0D\\x0Ab'],
    ['a\tb c', 'a\\x09b\\x20c'],
    ['\u0000\u001b[31m\u007f', '\\x00\\x1B[31m\\x7F'],
    ['nel\u0085 nbsp\u00a0', 'nel\\x85\\x20nbsp\\xA0'],
    ['x\u2028y\u2029z', 'x\\u2028y\\u2029z'],
    ['\u202egnp.exe \u2066\u200b\ufeff', '\\u202Egnp.exe\\x20\\u2066\\u200B\\uFEFF'],
    ['lone \ud800 and \udfff', 'lone\\x20\\uD800\\x20and\\x20\\uDFFF'],
    ['tag\u{e0041} private\u{f0000}', 'tag\\u{E0041}\\x20private\\u{F0000}'],
    ['a\\x0Ab', 'a\\\\x0Ab'],
  ];
  for (const [raw, escaped] of cases) assert.equal(escapeLogField(raw), escaped, JSON.stringify(raw));
});

test('a text log line is one line with every field escaped, whatever the entry holds', () => {
  const line = formatLogEntry(
    { method: 'GET', path: '/v1/do/a\nGET /v1/commands 200 1ms', status: 404, ms: 0.4, errorCode: 'Bad\nCode' },
    'text',
  );
  assert.equal(line, 'GET /v1/do/a\\x0AGET\\x20/v1/commands\\x20200\\x201ms 404 0.4ms Bad\\x0ACode');
});

test('a JSON log line has no raw separator or invisible character, and parses back to the same values', () => {
  const entry = { method: 'GET', path: '/x\u2028y\u2029z\n\u202e\u0085\u007f\ud800', status: 404, ms: 1 };
  const line = formatLogEntry(entry, 'json');
  assert.doesNotMatch(line, /[\p{Cc}\u2028\u2029\u202e]/u);
  const parsed = JSON.parse(line);
  assert.equal(parsed.path, entry.path);
  assert.equal(parsed.status, 404);
  assert.equal(escapeJsonLine('{"a":"plain é"}'), '{"a":"plain é"}');
  assert.equal(escapeJsonLine('"\u{e0041}"'), '"\\uDB40\\uDC41"');
});
