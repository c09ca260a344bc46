/**
 * The Node server answers `POST /v1/do` and `GET /v1/commands` without Hono (direct.ts). Each
 * request here is sent over a real port to the direct path alone (its fallback answers 599 and
 * is never reached) and, the same, to the app in-process (`app.request()`, always Hono's route):
 * status, Content-Type, body and request log line must not differ.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { createApp } from '../src/app.js';
import { doPathOf, withDirectRoutes } from '../src/direct.js';
import type { RequestLogEntry } from '../src/request-log.js';
import { formatLogEntry } from '../src/serve.js';

const Echo = defineCommand({
  params: { message: param.str(), times: param.int().optional() },
  run: ({ message, times }) => ({ body: { message, times: times ?? 1 } }),
});
const Broken = defineCommand({
  params: {},
  run: () => {
    throw new TypeError('the command broke');
  },
});
const Later = defineCommand({
  params: { message: param.str() },
  run: async ({ message }, { log }) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    log('answered later');
    return { body: { message } };
  },
});
const registry = createRegistry([defineConnector({ name: 'test', commands: { Echo, Broken, Later } })]);
/** An app of its own per side, each logging to its own list. */
const appLoggingTo = (lines: string[]) =>
  createApp(registry, {
    bodyLimitBytes: 200,
    log: (entry: RequestLogEntry) => lines.push(formatLogEntry(entry, 'text')),
  });

const overPort: string[] = [];
const fallbacks: string[] = [];
let server: Server;
let url = '';
before(async () => {
  server = createServer(
    withDirectRoutes(appLoggingTo(overPort), (req, res) => {
      fallbacks.push(req.url ?? '');
      res.writeHead(599).end();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const inProcess: string[] = [];
const app = appLoggingTo(inProcess);

const JSON_TYPE = { 'Content-Type': 'application/json' };
const cases: [string, string, RequestInit][] = [
  [
    'a command that answers',
    '/v1/do/test/Echo',
    { method: 'POST', headers: JSON_TYPE, body: '{"message":"hi","times":2}' },
  ],
  [
    'exact numbers',
    '/v1/do/test/Echo',
    { method: 'POST', headers: JSON_TYPE, body: '{"message":"n","times":9007199254740993}' },
  ],
  ['bad parameters', '/v1/do/test/Echo', { method: 'POST', headers: JSON_TYPE, body: '{"message":3}' }],
  ['malformed JSON', '/v1/do/test/Echo', { method: 'POST', headers: JSON_TYPE, body: '{"message":' }],
  ['a leading BOM', '/v1/do/test/Echo', { method: 'POST', headers: JSON_TYPE, body: '\uFEFF{"message":"bom"}' }],
  ['not JSON', '/v1/do/test/Echo', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' }],
  ['an unknown command', '/v1/do/test/Nope', { method: 'POST', headers: JSON_TYPE, body: '{}' }],
  ['an empty body', '/v1/do/test/Echo', { method: 'POST', headers: JSON_TYPE, body: '' }],
  [
    'a command that answers later',
    '/v1/do/test/Later',
    { method: 'POST', headers: JSON_TYPE, body: '{"message":"x"}' },
  ],
  ['a command that throws', '/v1/do/test/Broken', { method: 'POST', headers: JSON_TYPE, body: '{}' }],
  [
    'a body over the limit',
    '/v1/do/test/Echo',
    { method: 'POST', headers: JSON_TYPE, body: `{"message":"${'x'.repeat(300)}"}` },
  ],
  ['the listing', '/v1/commands', { method: 'GET' }],
];

for (const [what, path, init] of cases) {
  test(`${what}: the same answer and log line over the port as from the app`, async () => {
    overPort.length = 0;
    inProcess.length = 0;
    const direct = await fetch(`${url}${path}`, init);
    const viaHono = await app.request(path, init);
    assert.equal(direct.status, viaHono.status);
    assert.equal(direct.headers.get('content-type'), viaHono.headers.get('content-type'));
    assert.equal(direct.headers.get('connection') === 'close', viaHono.headers.get('connection') === 'close');
    assert.equal(await direct.text(), await viaHono.text());
    // The server writes its line after the answer; wait for it.
    for (let i = 0; i < 50 && overPort.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    const strip = (line: string | undefined) => line?.replace(/ [\d.]+ms/, ' Nms');
    assert.equal(strip(overPort.at(-1)), strip(inProcess.at(-1)));
    assert.deepEqual(fallbacks, [], 'answered by the direct path');
  });
}

test('a request in another form (a query, a percent-encoded name, chunked) goes to the app', async () => {
  fallbacks.length = 0;
  await fetch(`${url}/v1/commands?detailed=true`);
  await fetch(`${url}/v1/do/test/%45cho`, { method: 'POST', headers: JSON_TYPE, body: '{"message":"e"}' });
  const chunked = new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"message":"c"}'));
      controller.close();
    },
  });
  await fetch(`${url}/v1/do/test/Echo`, {
    method: 'POST',
    headers: JSON_TYPE,
    body: chunked,
    duplex: 'half',
  } as RequestInit);
  assert.deepEqual(fallbacks, ['/v1/commands?detailed=true', '/v1/do/test/%45cho', '/v1/do/test/Echo']);
});

test('the direct path takes the names connectors and commands are spelled with, and nothing else', () => {
  assert.deepEqual(doPathOf('/v1/do/test/Echo'), ['test', 'Echo']);
  assert.deepEqual(doPathOf('/v1/do/postgres_v2/DoSQL'), ['postgres_v2', 'DoSQL']);
  assert.deepEqual(doPathOf('/v1/do/a.b-c/_X.y-Z9'), ['a.b-c', '_X.y-Z9']);
  assert.deepEqual(doPathOf('/v1/do/9/0'), ['9', '0']);
  for (const other of [
    '/v1/do/test',
    '/v1/do/test/',
    '/v1/do//Echo',
    '/v1/do/test/Echo/more',
    '/v1/do/../Echo',
    '/v1/do/test/.hidden',
    '/v1/do/-x/Echo',
    '/v1/do/test/%45cho',
    '/v1/do/test/Echo?x=1',
    '/v1/do/test/Echo#x',
    '/v1/do/tést/Echo',
    '/v1/commands',
    '/v1/dotest/Echo',
    '//v1/do/test/Echo',
  ]) {
    assert.equal(doPathOf(other), undefined, other);
  }
});
