import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { deliverOnce } from '../src/delivery.js';
import { type FakeArena, startFakeArena, startTrap } from './fake-arena.js';

let arena: FakeArena;
before(async () => {
  arena = await startFakeArena({ apiKey: 'service-account-key', bearer: 'arena-token' });
});
after(() => arena.close());

const success = JSON.stringify({
  command_response: { body: { waited: 1 }, mimetype: 'application/json' },
  error: null,
  command_response_version: 2,
  spiff__logs: [],
});
const failure = (httpStatus?: number) =>
  JSON.stringify({
    command_response: { body: null, mimetype: 'application/json', ...(httpStatus ? { http_status: httpStatus } : {}) },
    error: { error_code: 'QuotaExceeded', message: 'no more today' },
    command_response_version: 2,
    spiff__logs: [],
  });
const apiKey = { kind: 'api-key', value: 'service-account-key' } as const;
const options = { credential: apiKey, timeoutMs: 5_000 };

test('a callback Arena completes (200 "completed") is delivered, sent as a JSON PUT with the service account key', async () => {
  const { url, task } = arena.task();
  const attempt = await deliverOnce(url, success, options);
  assert.equal(attempt.outcome, 'delivered');
  assert.equal(attempt.answer.status, 200);
  assert.match(attempt.answer.body ?? '', /"status":"completed"/);
  assert.deepEqual(task.result, { waited: 1 });
  const sent = arena.received.at(-1);
  assert.equal(sent?.method, 'PUT');
  assert.equal(sent?.headers['content-type'], 'application/json');
  assert.equal(sent?.headers['spiffworkflow-api-key'], 'service-account-key');
  assert.equal(sent?.headers.authorization, undefined);
});

test('a bearer token is sent as Authorization: Bearer, and nothing else', async () => {
  const { url, task } = arena.task();
  const attempt = await deliverOnce(url, success, {
    credential: { kind: 'bearer', value: 'arena-token' },
    timeoutMs: 5_000,
  });
  assert.equal(attempt.outcome, 'delivered');
  assert.equal(task.state, 'COMPLETED');
  const sent = arena.received.at(-1);
  assert.equal(sent?.headers.authorization, 'Bearer arena-token');
  assert.equal(sent?.headers['spiffworkflow-api-key'], undefined);
});

test('200 "retry_scheduled" (a retryable error with retries left in the diagram) is delivered: Arena re-runs the task itself', async () => {
  const { url, task } = arena.task({ retries: 2 });
  const attempt = await deliverOnce(url, failure(503), options);
  assert.equal(attempt.outcome, 'delivered');
  assert.match(attempt.answer.body ?? '', /"status":"retry_scheduled"/);
  assert.equal(task.retriesAttempted, 1);
});

test("each of Arena's 400 error codes ends delivery (refused), with the answer kept", async () => {
  const cases: [string, () => string][] = [
    ['callback_not_found', () => `${arena.url}/v1.0/tasks/999/00000000-0000-4000-8000-999999999999/callback`],
    [
      'not_waiting_for_callback',
      () => {
        const { url, task } = arena.task();
        task.state = 'COMPLETED';
        return url;
      },
    ],
    ['unexpected_workflow_exception', () => arena.task().url],
    ['invalid_callback_body', () => arena.task().url],
  ];
  for (const [code, urlOf] of cases) {
    const body =
      code === 'unexpected_workflow_exception'
        ? failure()
        : code === 'invalid_callback_body'
          ? JSON.stringify({ command_response: {}, error: null, command_response_version: 2 })
          : success;
    const attempt = await deliverOnce(urlOf(), body, options);
    assert.equal(attempt.outcome, 'refused', code);
    assert.equal(attempt.answer.status, 400, code);
    assert.match(attempt.answer.body ?? '', new RegExp(`"error_code":"${code}"`), code);
  }
});

test('400 invalid_mimetype is what Arena answers a callback without a JSON Content-Type (we always send one)', async () => {
  const { url } = arena.task();
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'SpiffWorkflow-Api-Key': 'service-account-key' },
    body: 'x',
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /invalid_mimetype/);
});

test('401 without credentials and 403 with wrong ones end delivery (refused)', async () => {
  const { url } = arena.task();
  const wrong = await deliverOnce(url, success, { credential: { kind: 'api-key', value: 'wrong' }, timeoutMs: 5_000 });
  assert.equal(wrong.outcome, 'refused');
  assert.equal(wrong.answer.status, 403);
  const raw = await fetch(url, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: success });
  assert.equal(raw.status, 401);
});

test('5xx, 408 and 429 may succeed later (retry), and the Retry-After of a 429 is handed on', async () => {
  const { url, task } = arena.task();
  arena.script(task.guid, [
    { status: 502 },
    { status: 503 },
    { status: 408 },
    { status: 429, headers: { 'Retry-After': '7' } },
  ]);
  for (const status of [502, 503, 408]) {
    const attempt = await deliverOnce(url, success, options);
    assert.equal(attempt.outcome, 'retry');
    assert.equal(attempt.answer.status, status);
  }
  const limited = await deliverOnce(url, success, options);
  assert.equal(limited.outcome, 'retry');
  assert.equal(limited.outcome === 'retry' && limited.retryAfter, '7');
  assert.equal((await deliverOnce(url, success, options)).outcome, 'delivered');
});

test('a refused connection, a dropped connection and no answer in time are retried, with the reason kept', async () => {
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((r) => closed.close(() => r()));
  const refused = await deliverOnce(`http://127.0.0.1:${port}/cb`, success, options);
  assert.equal(refused.outcome, 'retry');
  assert.match(refused.answer.error ?? '', /ECONNREFUSED/);

  const { url, task } = arena.task();
  arena.script(task.guid, [{ status: 0, destroy: true }]);
  const dropped = await deliverOnce(url, success, options);
  assert.equal(dropped.outcome, 'retry');
  assert.equal(dropped.answer.status, undefined);

  const slow = arena.task();
  const held = arena.hold(slow.task.guid);
  const late = await deliverOnce(slow.url, success, { ...options, timeoutMs: 200 });
  held.release();
  assert.equal(late.outcome, 'retry');
  assert.match(late.answer.error ?? '', /TimeoutError|aborted/i);
});

test('a redirect is not followed, so the credential never reaches the place it points to', async () => {
  const trap = await startTrap();
  const redirector = createServer((_req, res) => {
    res.writeHead(307, { Location: `${trap.url}/stolen` });
    res.end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  try {
    const { port } = redirector.address() as AddressInfo;
    const attempt = await deliverOnce(`http://127.0.0.1:${port}/cb`, success, options);
    assert.equal(attempt.outcome, 'refused');
    assert.equal(attempt.answer.status, 307);
    assert.equal(trap.received.length, 0);
  } finally {
    await new Promise<void>((r) => redirector.close(() => r()));
    await trap.close();
  }
});

test('an attempt aborted by shutdown throws instead of counting as an attempt', async () => {
  const { url, task } = arena.task();
  const held = arena.hold(task.guid);
  const stop = new AbortController();
  const attempt = deliverOnce(url, success, { ...options, signal: stop.signal });
  setTimeout(() => stop.abort(new Error('stopping')), 50);
  await assert.rejects(attempt);
  held.release();
});
