import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/main.js';
import { createFakeIo } from './fake-io.js';
import { createHost, removeTemps, writeConnector, writeFiles } from './fixtures.js';

after(removeTemps);

/** The Version command's source, answering `version`. */
const versionCommand = (version: string) => `{ params: {}, run: () => ({ body: { version: '${version}' } }) }`;

/** A command that answers after `ms`, with the version of the code it started with. */
const waitCommand = (version: string) => `{
  params: { ms: param.int() },
  async run({ ms }) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { body: { version: '${version}' } };
  },
}`;

/** The part of an envelope these tests read. */
interface Answer {
  error: unknown;
  command_response: { body?: { version?: string } };
}

async function call(url: string, path: string, body: unknown = {}): Promise<{ status: number; json: Answer }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Answer };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('dev reloads a changed command, finishes a request started before the change, and survives a broken save', async () => {
  const root = createHost();
  const dir = join(root, 'vendor/connector-live');
  writeConnector(dir, { name: 'live', commands: { Version: versionCommand('one'), Wait: waitCommand('one') } });
  const io = createFakeIo({ cwd: root, env: { CONNECTOR_PROXY_CONNECTORS: 'vendor/connector-live' } });
  const exit = main(['dev', '--port', '0'], io);
  try {
    const [, url = ''] = await io.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    assert.match(io.out(), /2 commands from 1 connector \(live\)/);
    assert.deepEqual((await call(url, '/v1/do/live/Version')).json.command_response.body, { version: 'one' });

    // A slow request is in flight when the sources change.
    const slow = call(url, '/v1/do/live/Wait', { ms: 1_500 });
    let slowDone = false;
    void slow.then(() => {
      slowDone = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeFileSync(
      join(dir, 'src/commands/version.ts'),
      `import { defineCommand } from '@connector-proxy/core';\nexport const Version = defineCommand(${versionCommand('two')});\n`,
    );
    writeFileSync(
      join(dir, 'src/commands/wait.ts'),
      `import { defineCommand, param } from '@connector-proxy/core';\nexport const Wait = defineCommand(${waitCommand('two')});\n`,
    );
    await until('the new Version', async () => {
      const { json } = await call(url, '/v1/do/live/Version');
      return json.command_response.body?.version === 'two' ? true : undefined;
    });
    assert.match(io.out(), /reloaded, 2 commands from 1 connector \(live\)/);
    assert.equal(slowDone, false, 'the new code answered while the slow request was still running');

    const finished = await slow;
    assert.equal(finished.status, 200);
    assert.equal(finished.json.error, null);
    assert.deepEqual(finished.json.command_response.body, { version: 'one' }, 'the old code finished its request');
    assert.deepEqual((await call(url, '/v1/do/live/Wait', { ms: 1 })).json.command_response.body, { version: 'two' });

    // A syntax error: reported, and the last good code keeps serving.
    writeFileSync(join(dir, 'src/commands/version.ts'), 'export const Version = defineCommand({ oops');
    await until('the reload error', async () => (io.err().includes('reload failed') ? true : undefined));
    assert.match(
      io.err(),
      /reload failed, still serving the previous code: connector .*src\/index\.ts failed to load: .*version\.ts/,
    );
    assert.deepEqual((await call(url, '/v1/do/live/Version')).json.command_response.body, { version: 'two' });

    // Fixing the file brings the connector back, with a command added meanwhile.
    writeFileSync(
      join(dir, 'src/commands/version.ts'),
      `import { defineCommand } from '@connector-proxy/core';\nexport const Version = defineCommand(${versionCommand('three')});\n`,
    );
    await until('the fixed Version', async () => {
      const { json } = await call(url, '/v1/do/live/Version');
      return json.command_response.body?.version === 'three' ? true : undefined;
    });
  } finally {
    io.stop();
  }
  assert.equal(await exit, 0);
  assert.match(io.out(), /shutting down/);
});

test('dev ignores builds, installed packages, docs and editor swap files', async () => {
  const root = createHost();
  const dir = join(root, 'vendor/connector-calm');
  writeConnector(dir, { name: 'calm', commands: { Version: versionCommand('one') } });
  const io = createFakeIo({ cwd: root, env: { CONNECTOR_PROXY_CONNECTORS: 'vendor/connector-calm' } });
  const exit = main(['dev', '--port', '0'], io);
  try {
    await io.waitForOutput(/listening on/);
    writeFiles(dir, {
      'dist/index.js': 'export default 1;',
      'node_modules/some-package/index.js': 'export default 1;',
      'README.md': '# calm',
      'src/commands/.version.ts.swp': 'x',
      'src/commands/version.ts~': 'x',
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.doesNotMatch(io.out(), /reloading/);
  } finally {
    io.stop();
  }
  assert.equal(await exit, 0);
});

test('dev with a broken connector at start stops with exit 1 and the error', async () => {
  const root = createHost();
  writeConnector(join(root, 'vendor/connector-bad'), { name: 'bad', index: 'export const nothing = 1;\n' });
  const io = createFakeIo({ cwd: root, env: { CONNECTOR_PROXY_CONNECTORS: 'vendor/connector-bad' } });
  assert.equal(await main(['dev', '--port', '0'], io), 1);
  assert.match(io.err(), /^connector-proxy dev: connector .*connector-bad\/src\/index\.ts has no default export/);
});
