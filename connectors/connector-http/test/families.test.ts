import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import {
  DeleteRequest,
  DeleteRequestV2,
  GetRequest,
  GetRequestV2,
  HeadRequest,
  PatchRequest,
  PatchRequestV2,
  PostRequest,
  PostRequestV2,
  PutRequest,
  PutRequestV2,
} from '../src/commands/index.js';
import { echo, reply, startServer, type TestServer } from './server.js';

let server: TestServer;

before(async () => {
  server = await startServer({
    '/echo': echo,
    '/with-headers': reply(200, 'application/json', '{}', { 'x-rate-remaining': '41', 'set-cookie': ['a=1', 'b=2'] }),
  });
});

after(() => server.close());

interface Seen {
  method: string;
  headers: Record<string, string>;
  body: string;
}

function seen(body: unknown): Seen {
  assert.ok(typeof body === 'object' && body !== null);
  return JSON.parse(JSON.stringify(body));
}

for (const [method, command] of [
  ['POST', PostRequestV2],
  ['PUT', PutRequestV2],
  ['PATCH', PatchRequestV2],
] as const) {
  test(`${method} V2 sends data as JSON and, like Python's "data or {}", sends {} when data is empty`, async () => {
    const given = seen((await runCommand(command, { url: server.url('/echo'), data: { a: [1, 2] } })).body);
    assert.equal(given.method, method);
    assert.equal(given.body, '{"a": [1, 2]}');
    for (const empty of [undefined, null, [], '', 0, false]) {
      const sent = seen((await runCommand(command, { url: server.url('/echo'), data: empty })).body);
      assert.equal(sent.body, '{}', `data ${JSON.stringify(empty)}`);
      assert.equal(sent.headers['content-type'], 'application/json');
    }
  });
}

test('DeleteRequestV2 sends a JSON body only when data is given', async () => {
  const without = seen((await runCommand(DeleteRequestV2, { url: server.url('/echo') })).body);
  assert.equal(without.method, 'DELETE');
  assert.equal(without.body, '');
  assert.equal(without.headers['content-type'], undefined);
  const withData = seen((await runCommand(DeleteRequestV2, { url: server.url('/echo'), data: ['x'] })).body);
  assert.equal(withData.body, '["x"]');
});

test('body_format json is the default for the unsuffixed writes, and no data means no body', async () => {
  for (const command of [PostRequest, PutRequest, PatchRequest, DeleteRequest]) {
    const json = seen((await runCommand(command, { url: server.url('/echo'), data: { a: 1 } })).body);
    assert.equal(json.body, '{"a": 1}');
    assert.equal(json.headers['content-type'], 'application/json');
    const none = seen((await runCommand(command, { url: server.url('/echo') })).body);
    assert.equal(none.body, '');
    assert.equal(none.headers['content-type'], undefined);
  }
});

test('body_format form sends data urlencoded, lists repeated, booleans as Python writes them', async () => {
  const run = await runCommand(PostRequest, {
    url: server.url('/echo'),
    data: { name: 'Ada L', tags: ['x', 'y'], admin: false },
    body_format: 'form',
  });
  const sent = seen(run.body);
  assert.equal(sent.body, 'name=Ada+L&tags=x&tags=y&admin=False');
  assert.equal(sent.headers['content-type'], 'application/x-www-form-urlencoded');
});

test('body_format raw sends text as it is, under the caller Content-Type when given', async () => {
  const plain = seen(
    (await runCommand(PutRequest, { url: server.url('/echo'), data: 'a,b\n1,2', body_format: 'raw' })).body,
  );
  assert.equal(plain.body, 'a,b\n1,2');
  assert.equal(plain.headers['content-type'], 'text/plain; charset=utf-8');
  const csv = await runCommand(PutRequest, {
    url: server.url('/echo'),
    headers: { 'content-type': 'text/csv' },
    data: 'a,b',
    body_format: 'raw',
  });
  assert.equal(seen(csv.body).headers['content-type'], 'text/csv');
});

test('body_format raw with data that is not text is InvalidParameters', async () => {
  const run = await runCommand(PostRequest, { url: server.url('/echo'), data: { a: 1 }, body_format: 'raw' });
  assert.equal(run.error?.error_code, 'InvalidParameters');
  assert.match(run.error?.message ?? '', /raw/);
});

test('body_format form with nested data is InvalidParameters', async () => {
  const run = await runCommand(PostRequest, { url: server.url('/echo'), data: { a: { b: 1 } }, body_format: 'form' });
  assert.equal(run.error?.error_code, 'InvalidParameters');
});

test('body_format none sends no body even when data is given, and says so in the logs', async () => {
  const run = await runCommand(PatchRequest, { url: server.url('/echo'), data: { a: 1 }, body_format: 'none' });
  assert.equal(seen(run.body).body, '');
  assert.ok(run.logs.includes('data is not sent: body_format is none'));
});

test('an unknown body_format is InvalidParameters naming the allowed values', async () => {
  const before = server.seen.length;
  const run = await runCommand(PostRequest, { url: server.url('/echo'), data: { a: 1 }, body_format: 'xml' });
  assert.equal(run.error?.error_code, 'InvalidParameters');
  assert.match(run.error?.message ?? '', /"json", "form", "raw", "none"/);
  assert.equal(server.seen.length, before);
});

test('include_response_headers puts the response headers in command_response.headers', async () => {
  for (const command of [GetRequest, HeadRequest]) {
    const run = await runCommand(command, { url: server.url('/with-headers'), include_response_headers: true });
    const headers = run.envelope.command_response.headers;
    assert.equal(headers?.['x-rate-remaining'], '41');
    assert.equal(headers?.['set-cookie'], 'a=1, b=2');
  }
});

test('response headers are left out unless asked for, and never by the V2 commands', async () => {
  const modern = await runCommand(GetRequest, { url: server.url('/with-headers') });
  assert.equal(modern.envelope.command_response.headers, undefined);
  const v2 = await runCommand(GetRequestV2, { url: server.url('/with-headers') });
  assert.equal(v2.envelope.command_response.headers, undefined);
});
