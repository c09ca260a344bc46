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

test("the listing is SpiffArena's catalog for aws, each command described and its error codes in the README", () => {
  const reference = catalog.commands.filter((entry) => entry.id.startsWith('aws/'));
  assert.ok(reference.length > 0);
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  assert.deepEqual(listingProblems(registry, { readme, reference }), []);
});
