import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { type Config, readConfig } from '../src/config.js';
import { startServer } from '../src/serve.js';
import { readJson } from './json.js';

const Slow = defineCommand({
  params: { ms: param.int() },
  async run({ ms }, { signal }) {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
    return { body: { slept: ms } };
  },
});

const Whoami = defineCommand({
  params: { message: param.str() },
  run: ({ message }, { taskData, task }) => ({ body: { message, taskData, task } }),
});

const registry = createRegistry([defineConnector({ name: 'test', commands: { Slow, Whoami } })]);

function config(overrides: Record<string, string> = {}): Config {
  return readConfig({ CONNECTOR_PROXY_PORT: '0', CONNECTOR_PROXY_LOG_FORMAT: 'off', ...overrides });
}

test('a SpiffArena backend request, headers and reserved keys included, is answered over a real port', async () => {
  const server = await startServer(config({ CONNECTOR_PROXY_API_KEY: 'backend-key' }), registry);
  try {
    const res = await fetch(`${server.url}/v1/do/test/Whoami`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'spiffworkflow-backend',
        'Spiff-Connector-Proxy-Api-Key': 'backend-key',
      },
      body: JSON.stringify({
        message: 'hello',
        spiff__task_data: { order: 7 },
        spiff__callback_url: 'http://127.0.0.1:7000/v1.0/tasks/callback',
        spiff__process_instance_id: 12,
        spiff__process_model_identifier: 'misc/orders',
        spiff__task_id: 'a1b2',
      }),
    });
    assert.equal(res.status, 200);
    const envelope = await readJson(res);
    assert.equal(envelope.command_response_version, 2);
    assert.equal(envelope.error, null);
    assert.deepEqual(envelope.spiff__logs, []);
    assert.deepEqual(envelope.command_response.body, {
      message: 'hello',
      taskData: { order: 7 },
      task: {
        callbackUrl: 'http://127.0.0.1:7000/v1.0/tasks/callback',
        processInstanceId: '12',
        processModelIdentifier: 'misc/orders',
        taskId: 'a1b2',
      },
    });
    const unauthorized = await fetch(`${server.url}/v1/commands`);
    assert.equal(unauthorized.status, 401);
  } finally {
    await server.close();
  }
});

test('shutdown lets a request in flight finish before the server closes', async () => {
  const server = await startServer(config(), registry);
  const inFlight = fetch(`${server.url}/v1/do/test/Slow`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ms: 300 }),
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closed = server.close();
  const res = await inFlight;
  assert.equal(res.status, 200);
  assert.deepEqual((await readJson(res)).command_response.body, { slept: 300 });
  await closed;
  await assert.rejects(fetch(`${server.url}/liveness`));
});

test('past the grace period, shutdown stops commands still running with ProxyShuttingDown (503), not a timeout', async () => {
  const server = await startServer(config({ CONNECTOR_PROXY_SHUTDOWN_GRACE_MS: '50' }), registry);
  const inFlight = fetch(`${server.url}/v1/do/test/Slow`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ms: 30_000 }),
  }).then(
    async (res) => ({ status: res.status, envelope: await readJson(res) }),
    () => 'connection closed' as const,
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = Date.now();
  await server.close();
  assert.ok(Date.now() - started < 5_000);
  const answer = await inFlight;
  // Under load the connection may be dropped before the answer is read; an answer, when it comes, says why.
  if (answer !== 'connection closed') {
    assert.equal(answer.status, 200);
    assert.equal(answer.envelope.error?.error_code, 'ProxyShuttingDown');
    assert.equal(answer.envelope.command_response.http_status, 503);
  }
});

test('a body far over the limit is refused with 413 and the server keeps serving', async () => {
  const server = await startServer(config({ CONNECTOR_PROXY_BODY_LIMIT_BYTES: '65536' }), registry);
  try {
    // Streamed without Content-Length: the limit must hold while reading, not only from the header.
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 32) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const refused = await fetch(`${server.url}/v1/do/test/Whoami`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    const status = refused.status;
    assert.equal((await readJson(refused)).error.error_code, 'InvalidRequest');
    assert.equal(status, 413);
    // With a declared Content-Length the limit is checked before any of the body is read.
    const declared = await fetch(`${server.url}/v1/do/test/Whoami`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'x'.repeat(70_000) }),
    });
    assert.equal(declared.status, 413);
    assert.equal(declared.headers.get('connection'), 'close');
    assert.equal((await readJson(declared)).error.error_code, 'InvalidRequest');
    const res = await fetch(`${server.url}/v1/do/test/Whoami`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'still here' }),
    });
    assert.equal(res.status, 200);
  } finally {
    await server.close();
  }
});

test('the request log is written as JSON lines when asked, without bodies', async () => {
  const lines: string[] = [];
  const server = await startServer(config({ CONNECTOR_PROXY_LOG_FORMAT: 'json' }), registry, {
    write: (line) => lines.push(line),
  });
  try {
    await fetch(`${server.url}/v1/do/test/Whoami`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'private words' }),
    });
  } finally {
    await server.close();
  }
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0] ?? '');
  assert.equal(entry.path, '/v1/do/test/Whoami');
  assert.equal(entry.status, 200);
  assert.equal(entry.command, 'test/Whoami');
  assert.equal(typeof entry.time, 'string');
  assert.doesNotMatch(lines[0] ?? '', /private words/);
});

test('a GET /v1/do with a JSON body is run with that body, as the Python proxy reads it', async () => {
  const server = await startServer(config(), registry);
  try {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = JSON.stringify({ message: 'from a GET body', spiff__task_data: { k: 1 } });
      const req = request(`${server.url}/v1/do/test/Whoami`, {
        method: 'GET',
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.end(payload);
    });
    assert.equal(answer.status, 200);
    const envelope = JSON.parse(answer.body);
    assert.equal(envelope.command_response.body.message, 'from a GET body');
    assert.deepEqual(envelope.command_response.body.taskData, { k: 1 });
  } finally {
    await server.close();
  }
});
