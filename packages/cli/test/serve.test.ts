import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { main } from '../src/main.js';
import { createDemoHost } from './demo.js';
import { createFakeIo } from './fake-io.js';
import { removeTemps } from './fixtures.js';

after(removeTemps);

test('serve --port 0 prints its URL, requires the API key when one is set, and stops when asked', async () => {
  const io = createFakeIo({
    cwd: createDemoHost(),
    env: { CONNECTOR_PROXY_API_KEY: 'sesame', CONNECTOR_PROXY_LOG_FORMAT: 'text' },
  });
  const exit = main(['serve', '--host', '127.0.0.1', '--port', '0'], io);
  let url = '';
  try {
    [, url = ''] = await io.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+) \(API key required\)/);
    assert.deepEqual(await (await fetch(`${url}/liveness`)).json(), { ok: true });
    assert.equal((await fetch(`${url}/v1/commands`)).status, 401);
    const res = await fetch(`${url}/v1/do/demo/Echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Spiff-Connector-Proxy-Api-Key': 'sesame' },
      body: JSON.stringify({ message: 'hi', spiff__task_data: { n: 1 } }),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      command_response: { body: { message: 'hi', count: 1, taskData: { n: 1 } }, mimetype: 'application/json' },
      error: null,
      command_response_version: 2,
      spiff__logs: ['echoing'],
    });
    assert.match(io.out(), /^POST \/v1\/do\/demo\/Echo 200 /m, 'the request log goes to stdout');
  } finally {
    io.stop();
  }
  assert.equal(await exit, 0);
  assert.match(io.out(), /shutting down, finishing requests in flight\n$/);
  await assert.rejects(fetch(`${url}/liveness`), 'the port is closed');
});

test('serve on a port that is taken fails with exit 1', async () => {
  const first = createFakeIo({ cwd: createDemoHost() });
  const exit = main(['serve', '--port', '0'], first);
  try {
    const [, port = ''] = await first.waitForOutput(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
    const second = createFakeIo({ cwd: createDemoHost() });
    assert.equal(await main(['serve', '--port', port], second), 1);
    assert.match(second.err(), /^connector-proxy serve: .*EADDRINUSE/);
  } finally {
    first.stop();
  }
  assert.equal(await exit, 0);
});
