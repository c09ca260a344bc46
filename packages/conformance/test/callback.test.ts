import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startCallbackEndpoint } from '../src/callback.js';

const body = JSON.stringify({
  command_response: { body: { done: true }, mimetype: 'application/json' },
  error: null,
  command_response_version: 2,
  spiff__logs: [],
});

async function put(url: string, headers: Record<string, string>, text = body, method = 'PUT') {
  const res = await fetch(url, { method, headers, body: text });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

test('the callback endpoint answers as Arena: credentials, then mimetype, then task, then body', async () => {
  const endpoint = await startCallbackEndpoint({ apiKey: 'arena-service-key', bearerToken: 'arena-token' });
  try {
    const task = endpoint.register();
    assert.match(task.url, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\.0\/tasks\/\d+\/[0-9a-f-]{36}\/callback$/);
    endpoint.settle(task.guid, true);
    const json = { 'Content-Type': 'application/json' };

    const anonymous = await put(task.url, json);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error_code, 'invalid_token');
    const proxyKeyOnly = await put(task.url, { ...json, 'Spiff-Connector-Proxy-Api-Key': 'k' });
    assert.equal(proxyKeyOnly.status, 401, "the proxy's own API key does not count");
    assert.equal((await put(task.url, { ...json, 'SpiffWorkflow-Api-Key': 'other' })).status, 403);
    assert.equal((await put(task.url, { ...json, Authorization: 'Bearer other' })).status, 403);

    const key = { 'SpiffWorkflow-Api-Key': 'arena-service-key' };
    const text = await put(task.url, { ...key, 'Content-Type': 'text/plain' });
    assert.deepEqual([text.status, text.json.error_code], [400, 'invalid_mimetype']);
    const post = await put(task.url, { ...key, ...json }, body, 'POST');
    assert.equal(post.status, 405);
    const noBody = await put(task.url, { ...key, ...json }, JSON.stringify({ error: null, command_response: {} }));
    assert.deepEqual([noBody.status, noBody.json.error_code], [400, 'invalid_callback_body']);
    const other = task.url.replace(task.guid, '00000000-0000-4000-8000-000000000000');
    assert.equal((await put(other, { ...key, ...json })).json.error_code, 'callback_not_found');

    const done = await put(task.url, {
      Authorization: 'Bearer arena-token',
      'Content-Type': 'application/json; charset=utf-8',
    });
    assert.equal(done.status, 200);
    assert.deepEqual({ ok: done.json.ok, status: done.json.status }, { ok: true, status: 'completed' });
    const again = await put(task.url, { ...key, ...json });
    assert.deepEqual([again.status, again.json.error_code], [400, 'not_waiting_for_callback']);

    const mine = endpoint.deliveries().filter((d) => d.guid === task.guid);
    assert.equal(mine.length, 9);
    assert.deepEqual(mine[1]?.credentials, ['proxy-api-key']);
    assert.ok(!JSON.stringify(endpoint.deliveries()).includes('arena-service-key'), 'credentials are never kept');
  } finally {
    await endpoint.close();
  }
});

test('a task whose call was answered without a 202 is not waiting; a callback during the call waits for its answer', async () => {
  const endpoint = await startCallbackEndpoint();
  try {
    const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer any' };
    const sync = endpoint.register();
    endpoint.settle(sync.guid, false);
    assert.equal((await put(sync.url, headers)).json.error_code, 'not_waiting_for_callback');

    const early = endpoint.register();
    const pending = put(early.url, headers);
    setTimeout(() => endpoint.settle(early.guid, true), 50);
    assert.equal((await pending).status, 200, 'Arena takes the lock once the call has returned');

    const next = endpoint.next(early.guid, 1, 100);
    assert.equal(await next, undefined, 'no second delivery within the wait');
  } finally {
    await endpoint.close();
  }
});
