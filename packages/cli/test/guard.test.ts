import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createHost, REPO, removeTemps, writeConnector } from './fixtures.js';

after(removeTemps);

test('a connector error that escapes its command is logged and the proxy keeps serving', async () => {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-careless'), {
    name: 'careless',
    commands: {
      Floating: `{ params: {}, run() { void Promise.reject(new RangeError('nobody awaited me')); return { body: 'answered' }; } }`,
      Timer: `{ params: {}, run() { setTimeout(() => { throw new TypeError('thrown from a timer'); }, 10); return { body: 'answered' }; } }`,
    },
  });
  const child = spawn(
    process.execPath,
    // The launcher runs the sources through tsx from the checkout, whatever the working folder.
    [join(REPO, 'packages/cli/bin/connector-proxy.js'), 'serve', '--port', '0'],
    { cwd: root, env: { ...process.env, CONNECTOR_PROXY_LOG_FORMAT: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL in: ${stdout} ${stderr}`)), 20_000);
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      child.stdout.on('data', () => {
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    for (const name of ['Floating', 'Timer']) {
      const res = await fetch(`${url}/v1/do/careless/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{}',
      });
      assert.equal(res.status, 200);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await fetch(`${url}/liveness`)).status, 200, 'still serving');
    assert.match(stderr, /a promise rejected outside any answer \(RangeError: nobody awaited me\); still serving/);
    assert.match(stderr, /an error escaped a command \(TypeError: thrown from a timer\); still serving/);
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
});
