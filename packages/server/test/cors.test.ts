import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { createApp } from '../src/app.js';
import { readConfig } from '../src/config.js';
import { startServer } from '../src/serve.js';

const Echo = defineCommand({
  params: { text: param.str(), crash: param.bool().default(false) },
  run({ text, crash }) {
    if (crash) throw new TypeError('a bug');
    return { body: { text } };
  },
});

const registry = createRegistry([defineConnector({ name: 'test', commands: { Echo } })]);
const ORIGIN = 'https://arena.example.org';
const KEY = { 'Spiff-Connector-Proxy-Api-Key': 'k' };

/** Every kind of answer a /v1 route gives: success, each refusal, a crash, unknown paths and methods. */
const REQUESTS: [string, RequestInit, number][] = [
  ['/v1/liveness', {}, 200],
  ['/v1/commands', {}, 401],
  ['/v1/commands', { headers: KEY }, 200],
  ['/v1/auths', { headers: KEY }, 200],
  ['/v1/commands', { method: 'DELETE', headers: KEY }, 405],
  ['/v1/nothing', {}, 404],
  ['/v1/do/test/Nope', { method: 'POST', headers: KEY }, 404],
  [
    '/v1/do/test/Echo',
    { method: 'POST', headers: { ...KEY, 'Content-Type': 'application/json' }, body: '{"text":"x"}' },
    200,
  ],
  ['/v1/do/test/Echo', { method: 'POST', headers: { ...KEY, 'Content-Type': 'application/json' }, body: '{' }, 400],
  ['/v1/do/test/Echo', { method: 'POST', headers: { ...KEY, 'Content-Type': 'application/json' }, body: '{}' }, 400],
  ['/v1/do/test/Echo', { method: 'POST', headers: { ...KEY, 'Content-Type': 'text/plain' }, body: '{}' }, 415],
  [
    '/v1/do/test/Echo',
    { method: 'POST', headers: { ...KEY, 'Content-Type': 'application/json' }, body: `{"text":"${'x'.repeat(2048)}"}` },
    413,
  ],
  [
    '/v1/do/test/Echo',
    { method: 'POST', headers: { ...KEY, 'Content-Type': 'application/json' }, body: '{"text":"x","crash":true}' },
    500,
  ],
];

describe('CORS on every /v1 route, as flask-cors with resources /v1/.*', () => {
  const app = createApp(registry, { apiKey: 'k', corsOrigins: [ORIGIN], bodyLimitBytes: 1024 });

  test('an allowed origin gets Access-Control-Allow-Origin on every answer, whatever its status', async () => {
    for (const [path, init, status] of REQUESTS) {
      const headers = { ...(init.headers as Record<string, string>), Origin: ORIGIN };
      const res = await app.request(path, { ...init, headers });
      const label = `${init.method ?? 'GET'} ${path}`;
      assert.equal(res.status, status, label);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, label);
      assert.match(res.headers.get('vary') ?? '', /Origin/, label);
    }
  });

  test('a preflight on every /v1 route answers 204 with the allowed methods and headers, without the key', async () => {
    for (const path of ['/v1/liveness', '/v1/commands', '/v1/auths', '/v1/do/test/Echo', '/v1/nothing']) {
      const res = await app.request(path, {
        method: 'OPTIONS',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(res.status, 204, path);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, path);
      assert.equal(res.headers.get('access-control-allow-methods'), 'GET,POST,OPTIONS', path);
      assert.equal(res.headers.get('access-control-allow-headers'), 'Content-Type,Spiff-Connector-Proxy-Api-Key', path);
    }
  });

  test('another origin gets no allowance, and routes outside /v1 get no CORS headers', async () => {
    const other = await app.request('/v1/liveness', { headers: { Origin: 'https://evil.example.com' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    for (const path of ['/liveness', '/']) {
      const res = await app.request(path, { headers: { Origin: ORIGIN } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), null, path);
    }
  });

  test('"*" (which the configuration allows only with an API key) answers every origin with *', async () => {
    const open = createApp(registry, { apiKey: 'k', corsOrigins: ['*'] });
    const res = await open.request('/v1/liveness', { headers: { Origin: 'https://anywhere.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
  });

  test('over a real port, from the configuration: /v1/liveness carries the allowance', async () => {
    const server = await startServer(
      readConfig({
        CONNECTOR_PROXY_PORT: '0',
        CONNECTOR_PROXY_LOG_FORMAT: 'off',
        CONNECTOR_PROXY_CORS_ORIGINS: 'https://Arena.Example.org:443',
      }),
      registry,
    );
    try {
      const res = await fetch(`${server.url}/v1/liveness`, { headers: { Origin: ORIGIN } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    } finally {
      await server.close();
    }
  });
});
