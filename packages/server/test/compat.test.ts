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

test('?detailed=true shows a JSON Schema for every parameter of every bundled command; the default listing none', async () => {
  const { registry } = await loadConnectors({ root: repo });
  const app = createApp(registry);
  const plain: WireCommandEntry[] = await readJson(await app.request('/v1/commands'));
  const detailed: WireCommandEntry[] = await readJson(await app.request('/v1/commands?detailed=true'));
  assert.equal(plain.length, detailed.length);
  for (const entry of plain)
    for (const p of entry.parameters) assert.deepEqual(Object.keys(p), ['id', 'type', 'required']);
  for (const entry of detailed) {
    // A BPMN author wires error boundary events from these, and reads the result shape.
    assert.equal(typeof entry.result?.description, 'string', `${entry.id} declares its result`);
    assert.ok((entry.errors ?? []).length > 0, `${entry.id} lists its error codes`);
    for (const p of entry.parameters as (WireCommandEntry['parameters'][number] & { schema?: unknown })[]) {
      assert.equal(typeof p.schema, 'object', `${entry.id} ${p.id}`);
    }
  }
  const send = detailed.find((e) => e.id === 'smtp/SendEmail');
  const port = send?.parameters.find((p) => p.id === 'smtp_port') as { schema?: unknown } | undefined;
  assert.deepEqual(port?.schema, {
    type: 'integer',
    description: 'SMTP server port: 25 or 587 (STARTTLS), 465 (implicit TLS), 1025/2525 locally',
    minimum: 1,
    maximum: 65535,
  });
});
