import assert from 'node:assert/strict';
import { request } from 'node:http';
import { dirname, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defineCommand, defineConnector, param, type Registry, startRegistry } from '@connector-proxy/core';
import type { APIGatewayProxyResult } from 'hono/aws-lambda';
import { readConfig } from '../src/config.js';
import { createLambdaHandler, type LambdaHandlerOptions } from '../src/lambda.js';
import { loadConnectors } from '../src/load.js';
import { type RunningServer, startServer } from '../src/serve.js';
import { contextWith, EVENT_KINDS, eventFor, recordedEvent, type TestRequest } from './lambda-events.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const Slow = defineCommand({
  params: { ms: param.int() },
  async run({ ms }, { signal }) {
    await new Promise((done, fail) => {
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        fail(signal.reason);
      });
    });
    return { body: { slept: ms } };
  },
});

/** An answer reduced to what both adapters must agree on. */
interface Answer {
  status: number;
  contentType: string | undefined;
  body: string;
}

function fromResult(result: APIGatewayProxyResult): Answer {
  const single = result.headers?.['content-type'];
  const contentType = Array.isArray(single) ? single[0] : (single ?? result.multiValueHeaders?.['content-type']?.[0]);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body;
  return { status: result.statusCode, contentType, body };
}

/** One request to the real server over its port (node:http, since fetch refuses a GET with a body). */
function overHttp(server: RunningServer, req: TestRequest): Promise<Answer> {
  const search = new URLSearchParams(req.query ?? []).toString();
  return new Promise((done, fail) => {
    const outgoing = request(
      `${server.url}${req.path}${search ? `?${search}` : ''}`,
      {
        method: req.method,
        headers: {
          ...(req.body !== undefined
            ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(req.body) }
            : {}),
          ...req.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', fail);
    outgoing.end(req.body);
  });
}

const CASES: { name: string; req: TestRequest; status: number }[] = [
  { name: 'liveness', req: { method: 'GET', path: '/liveness' }, status: 200 },
  { name: 'liveness under /v1', req: { method: 'GET', path: '/v1/liveness' }, status: 200 },
  { name: 'the listing', req: { method: 'GET', path: '/v1/commands' }, status: 200 },
  {
    name: 'the detailed listing',
    req: { method: 'GET', path: '/v1/commands', query: [['detailed', 'true']] },
    status: 200,
  },
  { name: 'the home page', req: { method: 'GET', path: '/' }, status: 200 },
  {
    name: 'example/Example runs',
    req: { method: 'POST', path: '/v1/do/example/Example', body: '{"message": "hello"}' },
    status: 200,
  },
  {
    name: 'a base64-encoded body',
    req: { method: 'POST', path: '/v1/do/example/Example', body: '{"message": "héllo ✓"}', base64: true },
    status: 200,
  },
  {
    name: 'a GET with query parameters',
    req: { method: 'GET', path: '/v1/do/example/Example', query: [['message', 'a & b']] },
    status: 200,
  },
  {
    name: 'a GET with a JSON body',
    req: { method: 'GET', path: '/v1/do/example/Example', body: '{"message": "in the body"}' },
    status: 200,
  },
  {
    name: 'a base64-encoded GET body',
    req: { method: 'GET', path: '/v1/do/example/Example', body: '{"message": "b64"}', base64: true },
    status: 200,
  },
  {
    name: 'an unknown command is command_not_found',
    req: { method: 'POST', path: '/v1/do/nope/Nope', body: '{}' },
    status: 404,
  },
  {
    name: 'a missing parameter is InvalidParameters',
    req: { method: 'POST', path: '/v1/do/example/Example', body: '{}' },
    status: 400,
  },
  {
    name: 'a body that is not JSON is InvalidRequest',
    req: { method: 'POST', path: '/v1/do/example/Example', body: '{"message": ' },
    status: 400,
  },
  { name: 'an unknown route', req: { method: 'GET', path: '/nowhere' }, status: 404 },
  { name: 'a known route asked with another method', req: { method: 'DELETE', path: '/v1/commands' }, status: 405 },
];

const KEY = 'lambda-test-key';
const KEY_CASES: { name: string; req: TestRequest; status: number }[] = [
  { name: 'no API key is 401', req: { method: 'GET', path: '/v1/commands' }, status: 401 },
  {
    name: 'a wrong API key is 401',
    req: {
      method: 'POST',
      path: '/v1/do/example/Example',
      body: '{"message": "x"}',
      headers: { 'Spiff-Connector-Proxy-Api-Key': 'nope' },
    },
    status: 401,
  },
  {
    name: 'the right API key runs the command',
    req: {
      method: 'POST',
      path: '/v1/do/example/Example',
      body: '{"message": "x"}',
      headers: { 'Spiff-Connector-Proxy-Api-Key': KEY },
    },
    status: 200,
  },
  { name: 'liveness needs no key', req: { method: 'GET', path: '/liveness' }, status: 200 },
];

let registry: Registry;
let open: RunningServer;
let keyed: RunningServer;
const quiet = { CONNECTOR_PROXY_PORT: '0', CONNECTOR_PROXY_LOG_FORMAT: 'off' };

before(async () => {
  const loaded = await loadConnectors({ root: repo });
  await loaded.registry.close();
  const test = defineConnector({ name: 'test', commands: { Slow } });
  registry = await startRegistry([...loaded.registry.connectors, test]);
  open = await startServer(readConfig(quiet), registry);
  keyed = await startServer(readConfig({ ...quiet, CONNECTOR_PROXY_API_KEY: KEY }), registry);
});

after(async () => {
  await Promise.all([open?.close(), keyed?.close()]);
  await registry?.close();
});

function lambda(options: LambdaHandlerOptions = {}) {
  return createLambdaHandler({ registry, env: { CONNECTOR_PROXY_LOG_FORMAT: 'off' }, ...options });
}

for (const kind of EVENT_KINDS) {
  describe(`a ${kind} event`, () => {
    test('as recorded runs example/Example', async () => {
      const result = await lambda()(recordedEvent(kind), contextWith());
      assert.equal(result.statusCode, 200);
      assert.equal(result.isBase64Encoded, false);
      const envelope = JSON.parse(result.body);
      assert.equal(envelope.error, null);
      assert.match(envelope.command_response.body.connector_response, /'hello'/);
      assert.equal(kind === 'rest-api-v1' || kind === 'alb-multi-value', 'multiValueHeaders' in result);
    });

    test('gets the answers the server gives over its port', async () => {
      const handler = lambda();
      for (const { name, req, status } of CASES) {
        const expected = await overHttp(open, req);
        assert.equal(expected.status, status, `${name}: the server's status`);
        const actual = fromResult(await handler(eventFor(kind, req), contextWith()));
        assert.deepEqual(actual, expected, name);
      }
    });

    test('with an API key set, gets the answers the server gives', async () => {
      const handler = lambda({ env: { CONNECTOR_PROXY_API_KEY: KEY, CONNECTOR_PROXY_LOG_FORMAT: 'off' } });
      for (const { name, req, status } of KEY_CASES) {
        const expected = await overHttp(keyed, req);
        assert.equal(expected.status, status, `${name}: the server's status`);
        const actual = fromResult(await handler(eventFor(kind, req), contextWith()));
        assert.deepEqual(actual, expected, name);
      }
    });
  });
}

test("a command's deadline is capped by the invocation's remaining time, less the margin", async () => {
  const handler = lambda({ marginMs: 300 });
  const req = { method: 'POST', path: '/v1/do/test/Slow', body: '{"ms": 10000}' };
  const started = Date.now();
  const result = await handler(eventFor('http-api-v2', req), contextWith(700));
  const took = Date.now() - started;
  const envelope = JSON.parse(result.body);
  assert.equal(result.statusCode, 200);
  assert.equal(envelope.error.error_code, 'CommandTimeout');
  assert.equal(envelope.command_response.http_status, 504);
  assert.ok(took >= 350 && took < 700, `answered after ${took} ms, before the invocation's end`);
});

test('a command that fits in the remaining time runs to the end', async () => {
  const handler = lambda();
  const req = { method: 'POST', path: '/v1/do/test/Slow', body: '{"ms": 50}' };
  const result = await handler(eventFor('rest-api-v1', req), contextWith(5_000));
  assert.deepEqual(JSON.parse(result.body).command_response.body, { slept: 50 });
});

test('the configured command timeout still applies when the invocation has more time', async () => {
  const handler = lambda({ env: { CONNECTOR_PROXY_COMMAND_TIMEOUT_MS: '100', CONNECTOR_PROXY_LOG_FORMAT: 'off' } });
  const req = { method: 'POST', path: '/v1/do/test/Slow', body: '{"ms": 10000}' };
  const result = await handler(eventFor('alb', req), contextWith(60_000));
  assert.equal(JSON.parse(result.body).error.error_code, 'CommandTimeout');
});

test('the registry and configuration are built once per execution environment, however many invocations', async () => {
  let builds = 0;
  const handler = lambda({
    registry: async () => {
      builds += 1;
      return registry;
    },
  });
  const req = { method: 'GET', path: '/liveness' };
  await Promise.all([1, 2, 3].map(() => handler(eventFor('function-url', req), contextWith())));
  await handler(eventFor('function-url', req), contextWith());
  assert.equal(builds, 1);
});

test('a bad configuration fails every invocation with the one line that names the variable', async () => {
  const handler = lambda({ env: { CONNECTOR_PROXY_BODY_LIMIT_BYTES: 'lots' } });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(handler(recordedEvent('alb'), contextWith()), /CONNECTOR_PROXY_BODY_LIMIT_BYTES must be/);
  }
});

test('an HTTP API stage named in the path is taken off it; a function URL path is left alone', async () => {
  const handler = lambda();
  const staged = eventFor('http-api-v2', { method: 'GET', path: '/prod/v1/commands' });
  if ('rawPath' in staged) staged.requestContext.stage = 'prod';
  const listed = await handler(staged, contextWith());
  assert.equal(listed.statusCode, 200);
  assert.deepEqual(JSON.parse(listed.body), registry.list());
  const url = await handler(eventFor('function-url', { method: 'GET', path: '/prod/v1/commands' }), contextWith());
  assert.equal(url.statusCode, 404);
});

test('a GET body over the body limit is refused like a POST body is', async () => {
  const handler = lambda({ env: { CONNECTOR_PROXY_BODY_LIMIT_BYTES: '10', CONNECTOR_PROXY_LOG_FORMAT: 'off' } });
  for (const method of ['GET', 'POST']) {
    const req = { method, path: '/v1/do/example/Example', body: '{"message": "longer than ten bytes"}' };
    const result = await handler(eventFor('http-api-v2', req), contextWith());
    assert.equal(result.statusCode, 413, method);
    assert.equal(JSON.parse(result.body).error.error_code, 'InvalidRequest');
  }
});

test('the request log gets one line per invocation, with the command and error code, never the API key', async () => {
  const lines: string[] = [];
  const handler = lambda({
    env: { CONNECTOR_PROXY_API_KEY: KEY, CONNECTOR_PROXY_LOG_FORMAT: 'json' },
    write: (line) => lines.push(line),
  });
  const headers = { 'Spiff-Connector-Proxy-Api-Key': KEY };
  await handler(
    eventFor('rest-api-v1', { method: 'POST', path: '/v1/do/example/Example', body: '{}', headers }),
    contextWith(),
  );
  await handler(eventFor('rest-api-v1', { method: 'GET', path: '/v1/commands' }), contextWith());
  assert.equal(lines.length, 2);
  const [first, second] = lines.map((line) => JSON.parse(line));
  assert.equal(first.command, 'example/Example');
  assert.equal(first.errorCode, 'InvalidParameters');
  assert.equal(first.status, 400);
  assert.equal(second.status, 401);
  assert.ok(!lines.join('\n').includes(KEY));
});
