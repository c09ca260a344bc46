import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createRegistry, type WireParameter } from '@connector-proxy/core';
import connector from '../src/index.js';

const catalog: { commands: { id: string; parameters: WireParameter[] }[] } = JSON.parse(
  readFileSync(new URL('../../../fixtures/spiffarena/standard-catalog.json', import.meta.url), 'utf8'),
);
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const registry = createRegistry([connector]);
const expected = catalog.commands.filter((entry) => entry.id.startsWith('slack/'));

test("the commands are exactly SpiffArena's catalog entries for slack", () => {
  assert.ok(expected.length > 0);
  assert.deepEqual(
    registry.list().map((entry) => entry.id),
    expected.map((entry) => entry.id),
  );
});

test("each command lists the catalog's parameters first, in its order, and only optional extras after", () => {
  for (const entry of expected) {
    const ours = registry.list().find((e) => e.id === entry.id);
    assert.ok(ours, entry.id);
    assert.deepEqual(ours.parameters.slice(0, entry.parameters.length), entry.parameters, entry.id);
    for (const extra of ours.parameters.slice(entry.parameters.length)) {
      assert.equal(extra.required, false, `${entry.id}: ${extra.id} is an extra, so it must be optional`);
    }
  }
});

test('the detailed listing shows a description, a result shape and error codes for each command', () => {
  for (const entry of registry.list({ detailed: true })) {
    assert.ok(entry.description, entry.id);
    assert.ok(entry.result?.description, `${entry.id} declares its result`);
    assert.ok(entry.result?.schema, `${entry.id} declares its result schema`);
    assert.ok((entry.errors?.length ?? 0) > 0, `${entry.id} lists error codes`);
  }
});

test('every error code a command declares is in the README error table', () => {
  for (const entry of registry.list({ detailed: true })) {
    for (const { code } of entry.errors ?? []) {
      // The proxy's own shutdown code is documented in the repository README.
      if (code === 'ProxyShuttingDown') continue;
      const row = /^HttpError\d+$/.test(code) ? 'HttpError<status>' : code;
      assert.match(readme, new RegExp(`^\\|\\s*\`${row}\``, 'm'), `${entry.id}: README row for ${code}`);
    }
  }
});

test('token is the only secret, so the proxy masks it in logs, messages and bodies', () => {
  const [entry] = registry.list({ detailed: true });
  assert.deepEqual(
    entry?.parameters.filter((p) => p.secret).map((p) => p.id),
    ['token'],
  );
});
