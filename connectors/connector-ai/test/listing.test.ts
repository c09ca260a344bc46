import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createRegistry, type WireParameter } from '@connector-proxy/core';
import { listingProblems } from '@connector-proxy/core/testing';
import connector from '../src/index.js';

const catalog: { commands: { id: string; parameters: WireParameter[] }[] } = JSON.parse(
  readFileSync(new URL('../../../fixtures/spiffarena/standard-catalog.json', import.meta.url), 'utf8'),
);
const registry = createRegistry([connector]);

test("the listing is SpiffArena's catalog for ai, each command described and its error codes in the README", () => {
  const reference = catalog.commands.filter((entry) => entry.id.startsWith('ai/'));
  assert.ok(reference.length > 0);
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  assert.deepEqual(listingProblems(registry, { readme, reference }), []);
});

test('api_key is the only secret parameter, and the command is declared long-running and idempotent', () => {
  const [entry] = registry.list({ detailed: true });
  assert.deepEqual(
    entry?.parameters.filter((p) => p.secret).map((p) => p.id),
    ['api_key'],
  );
  assert.equal(entry?.long_running, true);
  assert.equal(entry?.idempotent, true);
});
