import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { startRegistry } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import { GetRequest, GetRequestV2 } from '../src/commands/index.js';
import http from '../src/index.js';
import { startServer, type TestServer } from './server.js';

let server: TestServer;
const LIMIT = { MAX_RESPONSE_BYTES: '1000' };

before(async () => {
  server = await startServer({
    '/big': (_, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('x'.repeat(5000));
    },
    '/big-chunked': (_, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      for (let i = 0; i < 5; i++) response.write('y'.repeat(500));
      response.end();
    },
    '/bomb': (_, response) => {
      // About 100 bytes on the wire, a megabyte once decompressed.
      const body = gzipSync(Buffer.alloc(1024 * 1024, 0x61));
      response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      response.end(body);
    },
    '/small': (_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok": true}');
    },
  });
});
after(() => server.close());

test('an answer larger than MAX_RESPONSE_BYTES is ResponseTooLarge, and retrying it is not tried', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/big'), attempts: 3 }, { config: LIMIT });
  assert.equal(run.error?.error_code, 'ResponseTooLarge');
  assert.match(run.error?.message ?? '', /larger than 1000 bytes/);
  assert.equal(run.envelope.command_response.http_status, 502);
  assert.equal(server.seenAt('/big').length, 1);
});

test('an answer without Content-Length is counted as it arrives', async () => {
  const run = await runCommand(GetRequest, { url: server.url('/big-chunked') }, { config: LIMIT });
  assert.equal(run.error?.error_code, 'ResponseTooLarge');
  assert.match(run.error?.message ?? '', /received answer/);
});

test('a small compressed answer that decompresses past the bound is refused (no gzip bomb)', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/bomb') }, { config: { MAX_RESPONSE_BYTES: '65536' } });
  assert.equal(run.error?.error_code, 'ResponseTooLarge');
  assert.match(run.error?.message ?? '', /decompressed answer/);
});

test('answers within the bound are read as usual, and the default bound fits ordinary answers', async () => {
  const bounded = await runCommand(GetRequestV2, { url: server.url('/small') }, { config: LIMIT });
  assert.deepEqual(bounded.body, { ok: true });
  const unbounded = await runCommand(GetRequestV2, { url: server.url('/bomb') });
  assert.equal(unbounded.error, null, 'a 1 MiB answer is within the default 50 MiB');
});

test('a MAX_RESPONSE_BYTES that is not a whole number stops startup naming the variable', async () => {
  await assert.rejects(
    startRegistry([http], { env: { CONNECTOR_HTTP_MAX_RESPONSE_BYTES: 'lots' } }),
    /CONNECTOR_HTTP_MAX_RESPONSE_BYTES must be an integer, got "lots"/,
  );
  await assert.rejects(
    startRegistry([http], { env: { CONNECTOR_HTTP_MAX_RESPONSE_BYTES: '0' } }),
    /CONNECTOR_HTTP_MAX_RESPONSE_BYTES must be at least 1/,
  );
});
