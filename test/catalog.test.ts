import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { WireParameter } from '@connector-proxy/core';
import { loadConnectors } from '@connector-proxy/server/node';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const catalog: { commands: { id: string; parameters: WireParameter[] }[] } = JSON.parse(
  readFileSync(resolve(repo, 'fixtures/spiffarena/standard-catalog.json'), 'utf8'),
);

test("every entry of SpiffArena's standard catalog is served, with the same parameter ids, types and requiredness", async () => {
  // What `npm start` serves: the bundled connectors found in connectors/.
  const { registry } = await loadConnectors({ root: repo });
  const ours = new Map(registry.list().map((entry) => [entry.id, entry]));
  assert.equal(catalog.commands.length, 15);
  const problems: string[] = [];
  for (const expected of catalog.commands) {
    const entry = ours.get(expected.id);
    if (!entry) {
      problems.push(`${expected.id} is not served`);
      continue;
    }
    const byId = new Map(entry.parameters.map((p) => [p.id, p]));
    for (const parameter of expected.parameters) {
      const found = byId.get(parameter.id);
      if (!found) problems.push(`${expected.id}: parameter ${parameter.id} is missing`);
      else if (found.type !== parameter.type || found.required !== parameter.required) {
        problems.push(
          `${expected.id}: ${parameter.id} is ${found.type}/${found.required}, the catalog says ${parameter.type}/${parameter.required}`,
        );
      }
    }
    const known = new Set(expected.parameters.map((p) => p.id));
    for (const extra of entry.parameters.filter((p) => !known.has(p.id) && p.required)) {
      problems.push(`${expected.id}: the extra parameter ${extra.id} must be optional`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the check above would catch a difference (it compares, not just runs)', async () => {
  const { registry } = await loadConnectors({ root: repo });
  const entry = registry.list().find((e) => e.id === 'aws/QueryDynamoTable');
  assert.deepEqual(
    entry?.parameters.slice(0, 3).map((p) => [p.id, p.type, p.required]),
    [
      ['table_name', 'str', true],
      ['partition_key', 'str', true],
      ['sort_key', 'str', false],
    ],
  );
});
