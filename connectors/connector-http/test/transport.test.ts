import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';
import { runCommand } from '@connector-proxy/core/testing';
import {
  DeleteRequest,
  DeleteRequestV2,
  GetRequest,
  GetRequestV2,
  PostRequest,
  PutRequestV2,
} from '../src/commands/index.js';
import { DEFAULT_USER_AGENT } from '../src/request.js';
import { echo, reply, startServer, type TestServer } from './server.js';

const JSON_TEXT = '{"packed": "Zoë"}';

let server: TestServer;

before(async () => {
  server = await startServer({
    '/echo': echo,
    '/gzip': reply(200, 'application/json', zlib.gzipSync(JSON_TEXT), { 'content-encoding': 'gzip' }),
    '/deflate': reply(200, 'application/json', zlib.deflateSync(JSON_TEXT), { 'content-encoding': 'deflate' }),
    '/raw-deflate': reply(200, 'application/json', zlib.deflateRawSync(JSON_TEXT), { 'content-encoding': 'deflate' }),
    '/br': reply(200, 'application/json', zlib.brotliCompressSync(JSON_TEXT), { 'content-encoding': 'br' }),
    '/unknown-coding': reply(200, 'text/plain', 'as sent', { 'content-encoding': 'x-custom' }),
    '/cut': (_seen, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('{"partial": ');
      setTimeout(() => response.destroy(), 20);
    },
  });
});

after(() => server.close());

function seenHeaders(body: unknown): Record<string, string | undefined> {
  assert.ok(typeof body === 'object' && body !== null && 'headers' in body);
  return JSON.parse(JSON.stringify(body.headers));
}

test('upstream receives the headers requests sends, with our User-Agent and nothing a browser would add', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/echo') });
  const headers = seenHeaders(run.body);
  assert.deepEqual(Object.keys(headers).sort(), ['accept', 'accept-encoding', 'connection', 'host', 'user-agent']);
  assert.equal(headers['user-agent'], DEFAULT_USER_AGENT);
  assert.equal(headers.accept, '*/*');
  assert.equal(headers['accept-encoding'], 'gzip, deflate');
});

test("the caller's User-Agent, Accept and Accept-Encoding replace the defaults, in any case", async () => {
  const run = await runCommand(GetRequest, {
    url: server.url('/echo'),
    headers: { 'USER-AGENT': 'my-bot/1.0', accept: 'application/json', 'Accept-Encoding': 'identity' },
  });
  const headers = seenHeaders(run.body);
  assert.equal(headers['user-agent'], 'my-bot/1.0');
  assert.equal(headers.accept, 'application/json');
  assert.equal(headers['accept-encoding'], 'identity');
});

test('a body-less request other than GET and HEAD announces Content-Length: 0, as requests does', async () => {
  for (const command of [DeleteRequestV2, DeleteRequest]) {
    assert.equal(seenHeaders((await runCommand(command, { url: server.url('/echo') })).body)['content-length'], '0');
  }
  assert.equal(
    seenHeaders((await runCommand(GetRequestV2, { url: server.url('/echo') })).body)['content-length'],
    undefined,
  );
  const put = seenHeaders((await runCommand(PutRequestV2, { url: server.url('/echo'), data: { é: 1 } })).body);
  assert.equal(put['content-length'], String(Buffer.byteLength('{"\\u00e9": 1}')));
});

test('header values go out as Latin-1 bytes, also beside a UTF-8 body', async () => {
  for (const command of [GetRequestV2, PutRequestV2]) {
    const run = await runCommand(command, { url: server.url('/echo'), headers: { 'X-Name': 'Zoë' }, data: { n: 'é' } });
    assert.equal(seenHeaders(run.body)['x-name'], 'Zoë');
  }
  const raw = await runCommand(PostRequest, {
    url: server.url('/echo'),
    headers: { 'X-Name': 'Zoë' },
    data: 'café',
    body_format: 'raw',
  });
  assert.equal(seenHeaders(raw.body)['x-name'], 'Zoë');
  assert.equal((raw.body as { body: string }).body, 'café');
});

test('gzip, deflate (zlib or raw) and br bodies are decompressed; an unknown coding is left as sent', async () => {
  for (const path of ['/gzip', '/deflate', '/raw-deflate', '/br']) {
    const run = await runCommand(GetRequestV2, { url: server.url(path) });
    assert.equal(run.error, null, path);
    assert.deepEqual(run.body, { packed: 'Zoë' }, path);
  }
  const unknown = await runCommand(GetRequestV2, { url: server.url('/unknown-coding') });
  assert.deepEqual(unknown.body, { raw_response: 'as sent' });
});

test('a connection closed in the middle of the answer is a ConnectionError with a 5xx status', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/cut') });
  assert.equal(run.error?.error_code, 'ConnectionError');
  assert.match(run.error?.message ?? '', /closed before the whole answer arrived/);
  assert.equal(run.envelope.command_response.http_status, 502);
});

test('HTTP_PROXY and HTTPS_PROXY are not honoured: the call goes straight to the upstream', async () => {
  const names = ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'];
  const saved = names.map((name) => process.env[name]);
  try {
    // Nothing listens on port 1: a call sent through this proxy would fail.
    for (const name of names) process.env[name] = 'http://127.0.0.1:1';
    const run = await runCommand(GetRequestV2, { url: server.url('/gzip') });
    assert.equal(run.error, null, JSON.stringify(run.error));
  } finally {
    names.forEach((name, index) => {
      const value = saved[index];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    });
  }
});
