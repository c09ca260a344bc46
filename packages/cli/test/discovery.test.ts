import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/main.js';
import { createFakeIo } from './fake-io.js';
import { createHost, removeTemps, writeConnector, writeFiles } from './fixtures.js';

after(removeTemps);

/** A host with two connector dependencies installed (one scoped), a path connector and an unrelated package. */
function createHostWithExternalConnectors(): string {
  const root = createHost({
    name: 'my-proxy',
    private: true,
    dependencies: { 'connector-weather': '^1.0.0', '@acme/connector-crm': '^2.0.0', 'left-pad': '^1.3.0' },
  });
  writeConnector(join(root, 'node_modules/connector-weather'), { name: 'weather' });
  writeConnector(join(root, 'node_modules/@acme/connector-crm'), {
    name: 'crm',
    packageName: '@acme/connector-crm',
    commands: { FindContact: `{ params: { email: param.str() }, run: ({ email }) => ({ body: { email } }) }` },
  });
  writeFiles(join(root, 'node_modules/left-pad'), { 'package.json': '{"name":"left-pad","main":"index.js"}' });
  writeConnector(join(root, 'local/connector-billing'), { name: 'billing' });
  return root;
}

const env = { CONNECTOR_PROXY_CONNECTORS: 'local/connector-billing' };

test('connector-* and @scope/connector-* dependencies and CONNECTOR_PROXY_CONNECTORS paths are listed with no code change', async () => {
  const io = createFakeIo({ cwd: createHostWithExternalConnectors(), env });
  assert.equal(await main(['list', '--json'], io), 0);
  assert.deepEqual(
    JSON.parse(io.out()).map((entry: { id: string }) => entry.id),
    ['weather/Ping', 'crm/FindContact', 'billing/Ping'],
  );
});

test('serve answers GET /v1/commands and runs commands of external TypeScript connectors over a real port', async () => {
  const io = createFakeIo({ cwd: createHostWithExternalConnectors(), env });
  const exit = main(['serve', '--port', '0'], io);
  try {
    const [, url] = await io.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    assert.match(io.out(), /3 commands from 3 connectors \(weather, crm, billing\)/);
    const listing = await (await fetch(`${url}/v1/commands`)).json();
    assert.deepEqual(listing, [
      { id: 'weather/Ping', parameters: [{ id: 'who', type: 'str', required: true }] },
      { id: 'crm/FindContact', parameters: [{ id: 'email', type: 'str', required: true }] },
      { id: 'billing/Ping', parameters: [{ id: 'who', type: 'str', required: true }] },
    ]);
    const res = await fetch(`${url}/v1/do/crm/FindContact`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'ada@example.com' }),
    });
    assert.deepEqual(await res.json(), {
      command_response: { body: { email: 'ada@example.com' }, mimetype: 'application/json' },
      error: null,
      command_response_version: 2,
      spiff__logs: [],
    });
  } finally {
    io.stop();
  }
  assert.equal(await exit, 0);
});

/** Runs `verb` in a host whose only connector is the given broken one; returns the exit code and stderr. */
async function startWithBroken(verb: string[], ...connectors: Parameters<typeof writeConnector>[1][]) {
  const root = createHost();
  const paths = connectors.map((fixture, i) => {
    const path = `broken/${i}/connector-${fixture.name}`;
    writeConnector(join(root, path), fixture);
    return path;
  });
  const io = createFakeIo({ cwd: root, env: { CONNECTOR_PROXY_CONNECTORS: paths.join(',') } });
  const code = await main(verb, io);
  return { code, err: io.err(), out: io.out(), root };
}

test('a connector without a default export stops serve before it listens, naming the file', async () => {
  const { code, err, out } = await startWithBroken(['serve', '--port', '0'], {
    name: 'nodefault',
    index: `import * as commands from './commands/index.js';\nexport { commands };\n`,
  });
  assert.equal(code, 1);
  assert.doesNotMatch(out, /listening/);
  assert.match(
    err,
    /^connector-proxy serve: connector \S*broken\/0\/connector-nodefault\/src\/index\.ts has no default export made by defineConnector/,
  );
});

test('two connectors with one name stop startup, naming both files', async () => {
  const { code, err } = await startWithBroken(['list'], { name: 'twin' }, { name: 'twin' });
  assert.equal(code, 1);
  assert.match(
    err,
    /two connectors are named "twin": \S*broken\/0\/connector-twin\/src\/index\.ts and \S*broken\/1\/connector-twin\/src\/index\.ts/,
  );
});

test('a command name that is not PascalCase stops startup, naming the file and the command', async () => {
  const { code, err } = await startWithBroken(['list'], {
    name: 'lower',
    commands: { sendEmail: `{ params: {}, run: () => ({ body: null }) }` },
  });
  assert.equal(code, 1);
  assert.match(err, /connector \S*connector-lower\/src\/index\.ts failed to load: .*"sendEmail" must be PascalCase/);
});

test('two commands exported under one name stop startup, naming the file that exports them', async () => {
  const { code, err } = await startWithBroken(['list'], {
    name: 'dupe',
    commands: { Ping: `{ params: {}, run: () => ({ body: 1 }) }`, Pong: `{ params: {}, run: () => ({ body: 2 }) }` },
    commandsIndex: `export { Ping } from './ping.js';\nexport { Pong as Ping } from './pong.js';\n`,
  });
  assert.equal(code, 1);
  assert.match(
    err,
    /connector-dupe\/src\/commands\/index\.ts:2:\d+: ERROR: Multiple exports with the same name "Ping"/,
  );
});

test('a connector dependency that is not installed stops startup with the npm install hint', async () => {
  const root = createHost({ name: 'my-proxy', dependencies: { 'connector-missing': '^1.0.0' } });
  const io = createFakeIo({ cwd: root });
  assert.equal(await main(['list'], io), 1);
  assert.match(io.err(), /connector package connector-missing is not installed \(npm install connector-missing/);
});
