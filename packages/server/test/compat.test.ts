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
/** GET /v1/commands of the Python reference proxy, kept in the steering repository's shared/ folder. */
const fixturePath = resolve(repo, '../shared/fixtures/reference-commands.json');

test('every command of the Python reference listing is listed with the same parameter ids, types and requiredness', async (t) => {
  let fixture: { commands: WireCommandEntry[] };
  try {
    fixture = JSON.parse(readFileSync(fixturePath, 'utf8'));
  } catch {
    if (process.env.CI) throw new Error(`the reference listing is missing: ${fixturePath}`);
    t.skip(`SKIPPED LOUDLY: no reference listing at ${fixturePath}`);
    return;
  }
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
