import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readConfig, SERVER_ENV } from '../src/config.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

test('every variable the proxy declares is in the README configuration table', () => {
  for (const name of Object.keys(SERVER_ENV)) assert.match(README, new RegExp(`\\| \`${name}\` +\\|`), name);
});

test('every declared variable is read: a value for it changes the configuration or is refused by name', () => {
  const plain = readConfig({});
  for (const name of Object.keys(SERVER_ENV)) {
    let changed: boolean;
    try {
      changed = JSON.stringify(readConfig({ [name]: '9' })) !== JSON.stringify(plain);
    } catch (error) {
      changed = error instanceof Error && error.message.startsWith(name);
    }
    assert.ok(changed, `${name} is read by readConfig`);
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
