import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startRegistry } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import smtp from '../src/index.js';
import { PASSWORD, SendEmail, startSmtpServer, tlsFixture, tutorialParams, USER } from './support.js';

const login = { smtp_user: USER, smtp_password: PASSWORD };

test('with smtp_starttls it upgrades to TLS before logging in, trusting a private CA given as smtp_ca_cert', async () => {
  const server = await startSmtpServer({ key: tlsFixture.key, cert: tlsFixture.cert, allowInsecureAuth: false });
  try {
    const run = await runCommand(SendEmail, {
      ...tutorialParams(server.port),
      ...login,
      smtp_starttls: true,
      smtp_ca_cert: tlsFixture.ca,
    });
    assert.equal(run.error, null, JSON.stringify(run.error));
    assert.equal(server.received[0]?.secure, true);
    assert.equal(server.received[0]?.user, USER);
    assert.deepEqual(run.logs.slice(0, 4), [
      `will send to 1 recipient through 127.0.0.1:${server.port} (STARTTLS)`,
      'connected over TLS',
      `will log in as ${USER}`,
      'did log in',
    ]);
    assert.match(run.logs[4] ?? '', /^did send <.+>: accepted 1, rejected 0$/);
  } finally {
    await server.close();
  }
});

test('without smtp_starttls it sends in clear even when the server offers STARTTLS, as the Python connector does', async () => {
  const server = await startSmtpServer({ key: tlsFixture.key, cert: tlsFixture.cert });
  try {
    const run = await runCommand(SendEmail, tutorialParams(server.port));
    assert.equal(run.error, null, JSON.stringify(run.error));
    assert.equal(server.received[0]?.secure, false);
  } finally {
    await server.close();
  }
});

test('smtp_secure speaks TLS from the first byte, trusting a CA from the CA_FILE configuration', async () => {
  const server = await startSmtpServer({ secure: true, key: tlsFixture.key, cert: tlsFixture.cert });
  try {
    const run = await runCommand(
      SendEmail,
      { ...tutorialParams(server.port), ...login, smtp_secure: true },
      { config: { CA_FILE: tlsFixture.caPath } },
    );
    assert.equal(run.error, null, JSON.stringify(run.error));
    assert.equal(server.received[0]?.secure, true);
    assert.equal(server.received[0]?.user, USER);
    assert.match(run.logs.join('\n'), /\(implicit TLS\)/);
  } finally {
    await server.close();
  }
});

test('a certificate from an untrusted CA is refused as SSLCertVerificationError; verification stays on', async () => {
  const server = await startSmtpServer({ secure: true, key: tlsFixture.key, cert: tlsFixture.cert });
  try {
    const run = await runCommand(SendEmail, { ...tutorialParams(server.port), smtp_secure: true });
    assert.equal(run.error?.error_code, 'SSLCertVerificationError');
    assert.match(run.error?.message ?? '', /certificate/);
    assert.equal(run.envelope.command_response.http_status, 400);
    assert.equal(server.received.length, 0);
  } finally {
    await server.close();
  }
});

test('a certificate for another host name is refused even when its CA is trusted', async () => {
  const server = await startSmtpServer({ secure: true, ...tlsFixture.otherHost });
  try {
    const run = await runCommand(SendEmail, {
      ...tutorialParams(server.port),
      smtp_secure: true,
      smtp_ca_cert: tlsFixture.ca,
    });
    assert.equal(run.error?.error_code, 'SSLCertVerificationError');
    assert.match(run.error?.message ?? '', /altnames/);
  } finally {
    await server.close();
  }
});

test('smtp_starttls against a server without STARTTLS fails as SMTPNotSupportedError instead of sending in clear', async () => {
  const server = await startSmtpServer({ disabledCommands: ['STARTTLS'] });
  try {
    const run = await runCommand(SendEmail, { ...tutorialParams(server.port), smtp_starttls: true });
    assert.equal(run.error?.error_code, 'SMTPNotSupportedError');
    assert.equal(run.envelope.command_response.http_status, 400);
    assert.equal(server.received.length, 0);
  } finally {
    await server.close();
  }
});

test('smtp_secure against a plain-text server fails as SSLError', async () => {
  const server = await startSmtpServer();
  try {
    const run = await runCommand(SendEmail, { ...tutorialParams(server.port), smtp_secure: true, smtp_timeout: 2 });
    assert.equal(run.error?.error_code, 'SSLError');
  } finally {
    await server.close();
  }
});

test('smtp_secure and smtp_starttls together are refused before connecting', async () => {
  const run = await runCommand(SendEmail, { ...tutorialParams(1), smtp_secure: true, smtp_starttls: true });
  assert.equal(run.error?.error_code, 'InvalidParameters');
  assert.match(run.error?.message ?? '', /exclude each other/);
});

test('an smtp_ca_cert that holds no PEM certificate is refused before connecting', async () => {
  const run = await runCommand(SendEmail, { ...tutorialParams(1), smtp_ca_cert: 'not a certificate' });
  assert.equal(run.error?.error_code, 'InvalidParameters');
  assert.match(run.error?.message ?? '', /smtp_ca_cert/);
});

test('an unreadable CA_FILE stops startup with one line naming the variable', async () => {
  await assert.rejects(
    startRegistry([smtp], { env: { CONNECTOR_SMTP_CA_FILE: '/nonexistent/ca.pem' } }),
    /connector "smtp": setup failed: cannot read CONNECTOR_SMTP_CA_FILE \/nonexistent\/ca.pem/,
  );
});
