import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { startServer } from '../src/serve.js';
import { readJson } from './json.js';
import { exchange, statusOf } from './raw-socket.js';

const Echo = defineCommand({
  params: { text: param.str().optional() },
  run: ({ text }) => ({ body: { text: text ?? null } }),
});

const registry = createRegistry([defineConnector({ name: 'test', commands: { Echo } })]);
const app = createApp(registry);
const BODY = new TextEncoder().encode('{"text":"hi"}');

/** A body as bytes, so the Request adds no Content-Type of its own (a string body gets text/plain). */
function send(method: 'POST', headers: Record<string, string>, body: Uint8Array = BODY) {
  return app.request('/v1/do/test/Echo', { method, headers, body });
}

describe('Content-Type of a /v1/do body', () => {
  test('JSON media types are read as JSON, parameters and case aside, as Flask reads them', async () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'Application/JSON;charset=UTF-8',
      'application/vnd.api+json',
      'application/merge-patch+json; charset=utf-8',
    ]) {
      const res = await send('POST', { 'Content-Type': type });
      assert.equal(res.status, 200, type);
      assert.deepEqual((await readJson(res)).command_response.body, { text: 'hi' });
    }
  });

  test('a body of another type, or with no Content-Type, answers 415 in the envelope', async () => {
    const cases: Record<string, string>[] = [
      { 'Content-Type': 'text/plain' },
      { 'Content-Type': 'text/plain;charset=UTF-8' },
      { 'Content-Type': 'application/x-www-form-urlencoded' },
      { 'Content-Type': 'multipart/form-data; boundary=x' },
      { 'Content-Type': 'text/json' },
      { 'Content-Type': 'application/jsonx' },
      { 'Content-Type': 'application/json+xml' },
      {},
    ];
    for (const headers of cases) {
      const res = await send('POST', headers);
      const label = JSON.stringify(headers);
      assert.equal(res.status, 415, label);
      assert.match(res.headers.get('content-type') ?? '', /application\/json/, label);
      const envelope = await readJson(res);
      assert.equal(envelope.error.error_code, 'InvalidRequest', label);
      assert.match(envelope.error.message, /must be sent as Content-Type: application\/json/, label);
      assert.equal(envelope.command_response_version, 2);
      assert.deepEqual(envelope.spiff__logs, []);
    }
  });

  test('the 415 message names what was sent', async () => {
    const form = await readJson(await send('POST', { 'Content-Type': 'application/x-www-form-urlencoded' }));
    assert.match(form.error.message, /got Content-Type "application\/x-www-form-urlencoded"$/);
    const none = await readJson(await send('POST', {}));
    assert.match(none.error.message, /got no Content-Type$/);
  });

  test('an empty body is {} whatever its Content-Type, and GET takes its query parameters', async () => {
    const cases: Record<string, string>[] = [
      {},
      { 'Content-Type': 'text/plain' },
      { 'Content-Type': 'application/json' },
    ];
    for (const headers of cases) {
      const res = await send('POST', headers, new Uint8Array(0));
      assert.equal(res.status, 200, JSON.stringify(headers));
      assert.deepEqual((await readJson(res)).command_response.body, { text: null });
    }
    const query = await app.request('/v1/do/test/Echo?text=from-query');
    assert.equal(query.status, 200);
    assert.deepEqual((await readJson(query)).command_response.body, { text: 'from-query' });
  });

  test('an unknown command is still a 404 before the body is looked at, as in Flask', async () => {
    const res = await app.request('/v1/do/test/Nope', { method: 'POST', body: 'text' });
    assert.equal(res.status, 404);
  });

  test('over a real port: a POST or GET body without a JSON Content-Type answers 415, an empty body runs', async () => {
    const server = await startServer(
      readConfig({ CONNECTOR_PROXY_PORT: '0', CONNECTOR_PROXY_LOG_FORMAT: 'off' }),
      registry,
    );
    try {
      const head = (method: string) => `${method} /v1/do/test/Echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n`;
      for (const request of [
        `${head('POST')}Content-Length: 13\r\n\r\n{"text":"hi"}`,
        `${head('GET')}Content-Length: 13\r\n\r\n{"text":"hi"}`,
        `${head('GET')}Content-Type: text/plain\r\nContent-Length: 13\r\n\r\n{"text":"hi"}`,
      ]) {
        const refused = await exchange(server.port, [request]);
        assert.equal(statusOf(refused.received), 415, request);
        assert.match(refused.received, /"error_code":"InvalidRequest"/);
      }
      const json = await exchange(server.port, [
        `${head('GET')}Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{"text":"hi"}`,
      ]);
      assert.equal(statusOf(json.received), 200);
      const empty = await exchange(server.port, [`${head('POST')}Content-Length: 0\r\n\r\n`]);
      assert.equal(statusOf(empty.received), 200);
    } finally {
      await server.close();
    }
  });
});
