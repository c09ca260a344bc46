import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import { GetRequest, GetRequestV2, HeadRequestV2, PostRequestV2 } from '../src/commands/index.js';
import {
  BASE_BACKOFF_MS,
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_MS,
  sleep,
  toAttempts,
  toBackoffMs,
  toRetryAfterMs,
  toRetryDelayMs,
} from '../src/retry.js';
import { closedPort, type Route, reply, startServer, type TestServer } from './server.js';

/** Fails with `status` the first `failures` times, then answers 200 JSON. */
function failingThenOk(failures: number, status: number, headers: Record<string, string> = {}): Route {
  let calls = 0;
  return (seen, response) => {
    calls += 1;
    if (calls <= failures) reply(status, 'application/json', `{"failure": ${calls}}`, headers)(seen, response);
    else reply(200, 'application/json', `{"ok": true, "calls": ${calls}}`)(seen, response);
  };
}

let server: TestServer;

before(async () => {
  server = await startServer({
    '/flaky': failingThenOk(2, 503),
    '/always-500': reply(500, 'application/json', '{"error": "we_did_error"}'),
    '/head-500': reply(500, 'application/json', '{"error": "we_did_error"}'),
    '/limited': failingThenOk(1, 429, { 'retry-after': '1' }),
    '/limited-again': reply(429, 'text/plain', 'still busy', { 'retry-after': '1' }),
    '/limited-long': reply(429, 'text/plain', 'come back tomorrow', { 'retry-after': '3600' }),
    '/limited-once': reply(429, 'text/plain', 'slow down'),
    '/post-flaky': failingThenOk(1, 502),
    '/not-found': reply(404, 'text/plain', 'gone'),
  });
});

after(() => server.close());

test('attempts is 1 to 10; anything else means 1, as in Python', () => {
  for (const [given, expected] of [
    [3, 3],
    [10, 10],
    ['4', 4],
    [0, 1],
    [11, 1],
    [-2, 1],
    [2.5, 1],
    ['many', 1],
    [true, 1],
    [null, 1],
    [undefined, 1],
  ] as const) {
    assert.equal(toAttempts(given), expected, String(given));
  }
});

test('backoff doubles from the base up to the cap, with jitter in the upper half', () => {
  assert.equal(
    toBackoffMs(1, () => 0),
    BASE_BACKOFF_MS / 2,
  );
  assert.equal(
    toBackoffMs(1, () => 1),
    BASE_BACKOFF_MS,
  );
  assert.equal(
    toBackoffMs(2, () => 1),
    BASE_BACKOFF_MS * 2,
  );
  assert.equal(
    toBackoffMs(30, () => 1),
    MAX_BACKOFF_MS,
  );
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(toRetryAfterMs('2', now), 2_000);
  assert.equal(toRetryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now), 5_000);
  assert.equal(toRetryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
  assert.equal(toRetryAfterMs('soon', now), undefined);
  assert.equal(toRetryAfterMs(null, now), undefined);
});

test('the retry wait honours Retry-After over the backoff, and refuses waits beyond the cap', () => {
  assert.equal(toRetryDelayMs(1, '3', { random: () => 0 }), 3_000);
  assert.equal(toRetryDelayMs(1, null, { random: () => 0 }), BASE_BACKOFF_MS / 2);
  assert.equal(toRetryDelayMs(1, String(MAX_RETRY_AFTER_MS / 1000 + 1)), undefined);
});

test('a retry wait stops as soon as the deadline aborts', async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('deadline')), 10);
  const started = Date.now();
  await assert.rejects(sleep(60_000, controller.signal));
  assert.ok(Date.now() - started < 5_000);
});

test('GetRequestV2 retries 5xx until success within its attempts', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/flaky'), attempts: 3 });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { ok: true, calls: 3 });
  assert.equal(server.seenAt('/flaky').length, 3);
  assert.ok(run.logs.includes('attempt 3 of 3'));
});

test('a 5xx that lasts beyond the attempts is HttpError500 after exactly that many calls', async () => {
  const run = await runCommand(HeadRequestV2, { url: server.url('/head-500'), attempts: 2 });
  assert.equal(run.error?.error_code, 'HttpError500');
  assert.equal(run.envelope.command_response.http_status, 500);
  assert.equal(server.seenAt('/head-500').length, 2);
});

test('without attempts there is one call and no retry', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/always-500') });
  assert.equal(run.error?.error_code, 'HttpError500');
  assert.equal(server.seenAt('/always-500').length, 1);
});

test('an out-of-range attempts means one attempt instead of an error', async () => {
  const before = server.seenAt('/always-500').length;
  const run = await runCommand(GetRequestV2, { url: server.url('/always-500'), attempts: 50 });
  assert.equal(run.error?.error_code, 'HttpError500');
  assert.equal(server.seenAt('/always-500').length - before, 1);
});

test('429 is retried after the time Retry-After asks for', async () => {
  const started = Date.now();
  const run = await runCommand(GetRequestV2, { url: server.url('/limited'), attempts: 2 });
  assert.equal(run.error, null);
  assert.equal(server.seenAt('/limited').length, 2);
  assert.ok(Date.now() - started >= 950, 'waited for Retry-After: 1');
  assert.ok(run.logs.includes('will retry in 1.0 s'));
});

test('a Retry-After beyond the cap is not waited for: the 429 comes back at once', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/limited-long'), attempts: 3 });
  assert.equal(run.error?.error_code, 'HttpError429');
  assert.equal(run.envelope.command_response.http_status, 429);
  assert.equal(server.seenAt('/limited-long').length, 1);
});

test('the unsuffixed commands make one attempt', async () => {
  const run = await runCommand(GetRequest, { url: server.url('/limited-once') });
  assert.equal(run.error?.error_code, 'HttpError429');
  assert.equal(server.seenAt('/limited-once').length, 1);
});

test('a 4xx other than 429 is never retried', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/not-found'), attempts: 5 });
  assert.equal(run.error?.error_code, 'HttpError404');
  assert.equal(server.seenAt('/not-found').length, 1);
});

test('PostRequestV2 retries only when attempts asks for it', async () => {
  const run = await runCommand(PostRequestV2, { url: server.url('/post-flaky'), data: { a: 1 }, attempts: 2 });
  assert.equal(run.error, null);
  const seen = server.seenAt('/post-flaky');
  assert.equal(seen.length, 2);
  assert.ok(seen.every((request) => request.body === '{"a": 1}'));
});

test('network failures are retried and end as ConnectionError when every attempt fails', async () => {
  const port = await closedPort();
  const run = await runCommand(GetRequestV2, { url: `http://127.0.0.1:${port}/`, attempts: 2 });
  assert.equal(run.error?.error_code, 'ConnectionError');
  assert.equal(run.envelope.command_response.http_status, 502);
  assert.ok(run.logs.includes('attempt 2 of 2'));
});

test('a retry whose wait would pass the command deadline is not attempted: the answer comes back before it', async () => {
  const started = Date.now();
  const run = await runCommand(GetRequestV2, { url: server.url('/limited-again'), attempts: 3 }, { timeoutMs: 800 });
  assert.equal(run.error?.error_code, 'HttpError429');
  assert.ok(Date.now() - started < 700, 'did not wait for Retry-After: 1 past an 800 ms deadline');
  assert.match(run.logs.join('\n'), /would pass the command's deadline/);
});
