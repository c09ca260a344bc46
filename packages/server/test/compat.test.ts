import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { WireCommandEntry } from '@connector-proxy/core';
import { createApp } from '../src/app.js';
import { loadConnectors } from '../src/load.js';
import { readJson } from './json.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** GET /v1/commands of the Python reference proxy (a copy of the steering repository's fixture). */
const fixturePath = resolve(repo, 'fixtures/python-reference/reference-commands.json');

test('every command of the Python reference listing is listed with the same parameter ids, types and requiredness', async () => {
  const fixture: { commands: WireCommandEntry[] } = JSON.parse(readFileSync(fixturePath, 'utf8'));
  const { registry } = await loadConnectors({ root: repo });
  const app = createApp(registry);
  const listing: WireCommandEntry[] = await readJson(await app.request('/v1/commands'));
  const byId = new Map(listing.map((entry) => [entry.id, entry]));
  assert.ok(fixture.commands.length >= 10);
  for (const reference of fixture.commands) {
    const ours = byId.get(reference.id);
    assert.ok(ours, `${reference.id} is missing from our listing`);
    // Extra parameters are allowed; the reference ones must come first, in the same order.
    const prefix = ours.parameters
      .slice(0, reference.parameters.length)
      .map(({ id, type, required }) => ({ id, type, required }));
    assert.deepEqual(prefix, reference.parameters, reference.id);
    for (const extra of ours.parameters.slice(reference.parameters.length)) {
      assert.equal(
        extra.required,
        false,
        `${reference.id}: added parameter ${extra.id} must be optional, or old diagrams break`,
      );
    }
    assert.deepEqual(Object.keys(ours).sort(), ['id', 'parameters'], 'the default listing stays minimal');
  }
});
