import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestLogEntry } from '../src/app.js';
import { escapeJsonLine } from '../src/request-log.js';
import { formatLogEntry } from '../src/serve.js';

const entries: RequestLogEntry[] = [
  { method: 'GET', path: '/v1/commands', status: 200, ms: 0.4 },
  { method: 'POST', path: '/v1/do/http/GetRequestV2', status: 200, ms: 12, command: 'http/GetRequestV2' },
  {
    method: 'POST',
    path: '/v1/do/x/"quoted"\\é\u2028',
    status: 404,
    ms: 0,
    command: 'x/"quoted"',
    errorCode: 'command_not_found',
  },
  // Each kind of character the plain-field shortcut must leave to the escaping.
  { method: 'GET', path: '/v1/do/a b/\t\x7f\ud800\x00\u202e', status: 404, ms: 1.5, command: 'é/😀' },
  { method: 'PO\nST', path: "/v1/do/~!#$%&'()*+,-./:;<=>?@[]^_`{|}", status: 400, ms: 0, errorCode: 'Bad\u200bCode' },
];

test('a JSON log line is what JSON.stringify writes for the time and the entry, invisible characters escaped', () => {
  for (const entry of entries) {
    const line = formatLogEntry(entry, 'json');
    const parsed = JSON.parse(line);
    assert.match(parsed.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(line, escapeJsonLine(JSON.stringify({ time: parsed.time, ...entry })));
    assert.deepEqual(parsed, { time: parsed.time, ...entry }, 'the same value');
  }
});

test('a text log line is method, path, status, duration and the error code when there is one', () => {
  assert.equal(formatLogEntry(entries[0] as RequestLogEntry, 'text'), 'GET /v1/commands 200 0.4ms');
  assert.equal(
    formatLogEntry(entries[2] as RequestLogEntry, 'text'),
    'POST /v1/do/x/"quoted"\\\\é\\u2028 404 0ms command_not_found',
  );
  assert.equal(
    formatLogEntry(entries[3] as RequestLogEntry, 'text'),
    'GET /v1/do/a\\x20b/\\x09\\x7F\\uD800\\x00\\u202E 404 1.5ms',
  );
  assert.equal(
    formatLogEntry(entries[4] as RequestLogEntry, 'text'),
    "PO\\x0AST /v1/do/~!#$%&'()*+,-./:;<=>?@[]^_`{|} 400 0ms Bad\\u200BCode",
  );
});

test("a JSON line's time is the clock's, as toISOString writes it, across millisecond and second boundaries", () => {
  const entry = { method: 'GET', path: '/', status: 200, ms: 1 };
  const seconds = new Set<number>();
  const until = Date.now() + 1_100;
  let lines = 0;
  while (Date.now() < until) {
    const before = Date.now();
    const time: string = JSON.parse(formatLogEntry(entry, 'json')).time;
    const after = Date.now();
    const at = Date.parse(time);
    assert.ok(at >= before && at <= after, `${time} is not between ${before} and ${after}`);
    assert.equal(new Date(at).toISOString(), time);
    seconds.add(Math.floor(at / 1000));
    lines += 1;
  }
  assert.ok(seconds.size >= 2, 'the lines crossed a second boundary');
  assert.ok(lines > 1_000);
});
