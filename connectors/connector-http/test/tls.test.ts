import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import { GetRequest, GetRequestV2 } from '../src/commands/index.js';
import { reply, startServer, type TestServer, tlsFixture } from './server.js';

const JSON_ROUTE = { '/json': reply(200, 'application/json', '{"secure": true}') };

let unknownCa: TestServer;
let selfSigned: TestServer;
let plain: TestServer;

before(async () => {
  unknownCa = await startServer(JSON_ROUTE, tlsFixture.server);
  selfSigned = await startServer(JSON_ROUTE, tlsFixture.selfSigned);
  plain = await startServer(JSON_ROUTE);
});

after(async () => {
  await Promise.all([unknownCa.close(), selfSigned.close(), plain.close()]);
});

test('a certificate from an unknown CA is refused as ConnectionError 502, named a certificate problem', async () => {
  for (const command of [GetRequestV2, GetRequest]) {
    const run = await runCommand(command, { url: unknownCa.url('/json') });
    assert.equal(run.error?.error_code, 'ConnectionError');
    assert.match(
      run.error?.message ?? '',
      /the server's TLS certificate was refused: .*UNABLE_TO_VERIFY_LEAF_SIGNATURE/,
    );
    assert.equal(run.envelope.command_response.http_status, 502);
    assert.match(run.logs.at(-1) ?? '', /^did call GET https:\/\/127\.0\.0\.1:\d+\/json: ConnectionError \(/);
  }
  assert.equal(unknownCa.seen.length, 0);
});

test('a self-signed certificate is refused as ConnectionError 502, named a certificate problem', async () => {
  const run = await runCommand(GetRequestV2, { url: selfSigned.url('/json') });
  assert.equal(run.error?.error_code, 'ConnectionError');
  assert.match(run.error?.message ?? '', /the server's TLS certificate was refused: .*DEPTH_ZERO_SELF_SIGNED_CERT/);
  assert.equal(run.envelope.command_response.http_status, 502);
  assert.equal(selfSigned.seen.length, 0);
});

test('an https URL never falls back to plain http: against a plain server the TLS handshake fails', async () => {
  const run = await runCommand(GetRequestV2, { url: plain.url('/json').replace(/^http:/, 'https:') });
  assert.equal(run.error?.error_code, 'ConnectionError');
  assert.match(run.error?.message ?? '', /the TLS handshake failed: .*\((ERR_SSL_|EPROTO)/);
  assert.equal(run.envelope.command_response.http_status, 502);
  assert.equal(plain.seen.length, 0);
});
