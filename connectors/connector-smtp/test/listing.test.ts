import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createRegistry, describeCommand } from '@connector-proxy/core';
import { SmtpErrorCode } from '../src/errors.js';
import smtp from '../src/index.js';
import { SendEmail } from './support.js';

const reference = JSON.parse(
  readFileSync(new URL('../../../fixtures/python-reference/reference-commands.json', import.meta.url), 'utf8'),
);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** A row `| \`Code\` | status | ...` of the README's error table, however it is padded. */
const tableRow = (code: string, status: number) => new RegExp(`^\\|\\s*\`${code}\`\\s*\\|\\s*${status}\\s*\\|`, 'm');

test("smtp/SendEmail is listed with the Python connector's parameters, in its order, before the extras", () => {
  const python = reference.commands.find((entry: { id: string }) => entry.id === 'smtp/SendEmail');
  assert.ok(python, 'the reference listing has smtp/SendEmail');
  const ours = describeCommand('smtp/SendEmail', SendEmail);
  assert.deepEqual(ours.parameters.slice(0, python.parameters.length), python.parameters);
  for (const extra of ours.parameters.slice(python.parameters.length)) {
    assert.equal(extra.required, false, `${extra.id} is an extra, so it must be optional`);
  }
});

test('the connector is named smtp and has exactly the SendEmail command', () => {
  const registry = createRegistry([smtp]);
  assert.deepEqual(
    registry.entries().map((entry) => entry.id),
    ['smtp/SendEmail'],
  );
});

test('smtp_password is a secret, so the proxy masks it in logs and messages', () => {
  const detailed = describeCommand('smtp/SendEmail', SendEmail, { detailed: true });
  const secrets = detailed.parameters.filter((p) => p.secret).map((p) => p.id);
  assert.deepEqual(secrets, ['smtp_password']);
});

test('every error code is documented in the README with its http_status', () => {
  for (const [code, { status }] of Object.entries(SmtpErrorCode)) {
    assert.match(readme, tableRow(code, status), `README row for ${code}`);
  }
  assert.match(readme, tableRow('CommandTimeout', 504));
});
