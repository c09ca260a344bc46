import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readConfig, SERVER_ENV } from '../src/config.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('every variable the proxy declares is in the README configuration table', () => {
  const table = README.split('\n').filter((line) => line.startsWith('| `CONNECTOR_'));
  for (const name of Object.keys(SERVER_ENV)) {
    assert.ok(
      table.some((line) => (line.split('|')[1] ?? '').includes(`\`${name}\``)),
      `${name} has a row`,
    );
  }
});

test('every declared variable is read: a value for it changes the configuration or is refused by name', () => {
  // Some are read only once callbacks are on, or with Redis jobs.
  const callbacks = {
    CONNECTOR_PROXY_CALLBACK_ORIGINS: 'https://arena.example.com',
    CONNECTOR_PROXY_CALLBACK_API_KEY: 'k',
  };
  const bases: Record<string, string>[] = [
    {},
    callbacks,
    { ...callbacks, CONNECTOR_PROXY_JOBS: 'redis://127.0.0.1:6379' },
  ];
  for (const name of Object.keys(SERVER_ENV)) {
    const read = bases.some((base) => {
      const plain = JSON.stringify(readConfig(base));
      try {
        return JSON.stringify(readConfig({ ...base, [name]: '9' })) !== plain;
      } catch (error) {
        return error instanceof Error && error.message.includes(name);
      }
    });
    assert.ok(read, `${name} is read by readConfig`);
  }
});

test('each declared default is the one readConfig uses', () => {
  const plain = readConfig({});
  assert.equal(SERVER_ENV.CONNECTOR_PROXY_HOST.default, plain.host);
  assert.equal(SERVER_ENV.CONNECTOR_PROXY_PORT.default, String(plain.port));
  assert.equal(SERVER_ENV.CONNECTOR_PROXY_BODY_LIMIT_BYTES.default, String(plain.bodyLimitBytes));
  assert.equal(SERVER_ENV.CONNECTOR_PROXY_COMMAND_TIMEOUT_MS.default, String(plain.commandTimeoutMs));
  assert.equal(SERVER_ENV.CONNECTOR_PROXY_SHUTDOWN_GRACE_MS.default, String(plain.shutdownGraceMs));
  assert.equal(SERVER_ENV.CONNECTOR_PROXY_LOG_FORMAT.default, plain.logFormat);
  assert.equal(SERVER_ENV.CONNECTOR_PROXY_METRICS.default, String(plain.metrics));
  assert.equal(SERVER_ENV.CONNECTOR_PROXY_EGRESS.default, plain.egress.preset);
});
