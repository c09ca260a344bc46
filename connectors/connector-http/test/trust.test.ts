import assert from 'node:assert/strict';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { startRegistry } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import { GetRequest, GetRequestV2, PostRequestV2 } from '../src/commands/index.js';
import http from '../src/index.js';
import { toTrustedCas } from '../src/trust.js';
import { echo, type Route, reply, startServer, type TestServer, tlsFixture } from './server.js';

const TRUST_TEST_CA = { config: { CA_FILE: tlsFixture.caPath } };

let secure: TestServer;
let otherHost: TestServer;
let plain: TestServer;
let folder: string;

function redirectTo(url: () => string, status = 302): Route {
  return (_seen, response) => {
    response.writeHead(status, { location: url() });
    response.end();
  };
}

before(async () => {
  secure = await startServer(
    {
      '/json': reply(200, 'application/json', '{"secure": true}'),
      '/echo': echo,
      '/hop': redirectTo(() => secure.url('/json')),
    },
    tlsFixture.server,
  );
  otherHost = await startServer({ '/json': reply(200, 'application/json', '{}') }, tlsFixture.otherHost);
  plain = await startServer({ '/to-https': redirectTo(() => secure.url('/json'), 307) });
  folder = await mkdtemp(join(tmpdir(), 'connector-http-trust-'));
});

after(async () => {
  await Promise.all([secure.close(), otherHost.close(), plain.close(), rm(folder, { recursive: true, force: true })]);
});

test('with CA_FILE naming the private CA, GetRequestV2 gets the JSON body; without it the same call is refused', async () => {
  const refused = await runCommand(GetRequestV2, { url: secure.url('/json') });
  assert.equal(refused.error?.error_code, 'ConnectionError');
  assert.match(refused.error?.message ?? '', /TLS certificate was refused: .*see CONNECTOR_HTTP_CA_FILE/);

  const trusted = await runCommand(GetRequestV2, { url: secure.url('/json') }, TRUST_TEST_CA);
  assert.equal(trusted.error, null, JSON.stringify(trusted.error));
  assert.deepEqual(trusted.body, { secure: true });
  assert.equal(trusted.envelope.command_response.http_status, 200);

  // A connection kept alive for the trusting call must not carry that trust over to a call without it.
  const again = await runCommand(GetRequestV2, { url: secure.url('/json') });
  assert.equal(again.error?.error_code, 'ConnectionError');
});

test('the private CA is trusted by every command and on redirects, http to https and https to https', async () => {
  const unsuffixed = await runCommand(GetRequest, { url: secure.url('/json') }, TRUST_TEST_CA);
  assert.deepEqual(unsuffixed.body, { secure: true });
  const post = await runCommand(PostRequestV2, { url: secure.url('/echo'), data: { n: 1 } }, TRUST_TEST_CA);
  assert.equal((post.body as { body: string }).body, '{"n": 1}');

  for (const url of [plain.url('/to-https'), secure.url('/hop')]) {
    const trusted = await runCommand(GetRequestV2, { url }, TRUST_TEST_CA);
    assert.deepEqual(trusted.body, { secure: true }, url);
    assert.ok(
      trusted.logs.some((line) => line.startsWith('was redirected to https://')),
      url,
    );
    const refused = await runCommand(GetRequestV2, { url });
    assert.equal(refused.error?.error_code, 'ConnectionError', url);
    assert.match(refused.error?.message ?? '', /TLS certificate was refused/, url);
  }
});

test('a certificate for another name is refused even when its CA is trusted', async () => {
  const run = await runCommand(GetRequestV2, { url: otherHost.url('/json') }, TRUST_TEST_CA);
  assert.equal(run.error?.error_code, 'ConnectionError');
  assert.match(run.error?.message ?? '', /TLS certificate was refused: .*\(ERR_TLS_CERT_ALTNAME_INVALID\)/);
  assert.equal(run.envelope.command_response.http_status, 502);
  assert.equal(otherHost.seen.length, 0);
});

test('a self-signed certificate is trusted when CA_FILE holds that certificate itself', async () => {
  const selfSigned = await startServer(
    { '/json': reply(200, 'application/json', '{"self": true}') },
    tlsFixture.selfSigned,
  );
  try {
    const path = join(folder, 'self-signed.pem');
    await writeFile(path, tlsFixture.selfSigned.cert);
    const run = await runCommand(GetRequestV2, { url: selfSigned.url('/json') }, { config: { CA_FILE: path } });
    assert.deepEqual(run.body, { self: true });
  } finally {
    await selfSigned.close();
  }
});

test("the private CA is added to Node's roots, not put in their place", () => {
  const trusted = toTrustedCas([tlsFixture.ca]);
  assert.deepEqual(trusted.slice(0, rootCertificates.length), [...rootCertificates]);
  assert.equal(trusted.at(-1), tlsFixture.ca);
});

test('CA_FILE is read once, at startup: a file removed afterwards is still trusted', async () => {
  const path = join(folder, 'read-once.pem');
  await copyFile(tlsFixture.caPath, path);
  const registry = await startRegistry([http], { env: { CONNECTOR_HTTP_CA_FILE: path } });
  try {
    const target = registry.target('http', 'GetRequestV2');
    assert.ok(target);
    await rm(path);
    const run = await runCommand(target, { url: secure.url('/json') });
    assert.equal(run.error, null, JSON.stringify(run.error));
  } finally {
    await registry.close();
  }
});

test('a missing CA_FILE stops startup with one line naming the variable, before anything is sent', async () => {
  const path = join(folder, 'missing.pem');
  const seenBefore = plain.seen.length;
  await assert.rejects(
    startRegistry([http], { env: { CONNECTOR_HTTP_CA_FILE: path } }),
    new RegExp(
      `^DefinitionError: connector "http": setup failed: cannot read CONNECTOR_HTTP_CA_FILE ${path}: .*ENOENT`,
    ),
  );
  assert.equal(plain.seen.length, seenBefore);
});

test('a CA_FILE without a PEM certificate, or with a broken one, stops startup naming the variable', async () => {
  const empty = join(folder, 'empty.pem');
  await writeFile(empty, 'not a certificate\n');
  const broken = join(folder, 'broken.pem');
  await writeFile(broken, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
  const cases = [
    [empty, /CONNECTOR_HTTP_CA_FILE .* holds no PEM certificate/],
    [broken, /CONNECTOR_HTTP_CA_FILE .*: certificate 1 cannot be read: /],
  ] as const;
  for (const [path, message] of cases) {
    await assert.rejects(startRegistry([http], { env: { CONNECTOR_HTTP_CA_FILE: path } }), message, path);
  }
});
