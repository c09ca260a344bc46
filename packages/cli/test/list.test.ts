import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createApp } from '@connector-proxy/server';
import { loadConnectors } from '@connector-proxy/server/node';
import { main } from '../src/main.js';
import { createDemoHost } from './demo.js';
import { createFakeIo } from './fake-io.js';
import { makeTemp, removeTemps } from './fixtures.js';

after(removeTemps);

test('list prints a table of ids, parameters with types and "?" for optional ones, and descriptions', async () => {
  const io = createFakeIo({ cwd: createDemoHost() });
  assert.equal(await main(['list'], io), 0);
  const lines = io.out().split('\n');
  assert.match(lines[0] ?? '', /^COMMAND\s+PARAMETERS\s+DESCRIPTION$/);
  assert.match(
    io.out(),
    /^demo\/Echo\s+message: str, count\?: int, tags\?: any, loud\?: bool\s+Echo the parameters and the task data back, to see what a$/m,
  );
  assert.match(io.out(), /^\s+command receives\.$/m, 'a long description wraps onto a second line');
  assert.match(io.out(), /^demo\/Fail\s+\(none\)$/m);
  assert.match(io.out(), /\n3 commands from 1 connector\n$/);
});

test('list --json prints exactly the body of GET /v1/commands', async () => {
  const root = createDemoHost();
  const io = createFakeIo({ cwd: root });
  assert.equal(await main(['list', '--json'], io), 0);
  const { registry } = await loadConnectors({ root });
  const res = await createApp(registry).request('/v1/commands');
  assert.equal(io.out(), `${await res.text()}\n`);
  assert.deepEqual(
    JSON.parse(io.out()).map((e: { id: string }) => e.id),
    ['demo/Echo', 'demo/Fail', 'demo/Legacy'],
  );
});

test('list in a folder without connectors says how to add one', async () => {
  const io = createFakeIo({ cwd: makeTemp() });
  assert.equal(await main(['list'], io), 0);
  assert.match(io.out(), /^No connectors found/);
  const json = createFakeIo({ cwd: makeTemp() });
  assert.equal(await main(['list', '--json'], json), 0);
  assert.equal(json.out(), '[]\n');
});
