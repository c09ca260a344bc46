import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { readConfig } from '@connector-proxy/server';
import { startServer } from '@connector-proxy/server/node';
import { startFakeArena } from '../../jobs/test/fake-arena.js';
import { main } from '../src/main.js';
import { createFakeIo } from './fake-io.js';
import { makeTemp, removeTemps } from './fixtures.js';

after(removeTemps);

const Report = defineCommand({
  params: { n: param.int() },
  longRunning: true,
  run: ({ n }) => ({ body: { n } }),
});
const registry = createRegistry([defineConnector({ name: 'reports', commands: { Report } })]);

test('jobs lists a running proxy\'s jobs, and "jobs redeliver --all" delivers the undeliverable ones again', async () => {
  const arena = await startFakeArena({ apiKey: 'right-key' });
  const env = {
    CONNECTOR_PROXY_PORT: '0',
    CONNECTOR_PROXY_LOG_FORMAT: 'off',
    CONNECTOR_PROXY_API_KEY: 'proxy-key',
    CONNECTOR_PROXY_CALLBACK_ORIGINS: arena.origin,
    CONNECTOR_PROXY_CALLBACK_API_KEY: 'right-key',
    CONNECTOR_PROXY_DATA_DIR: makeTemp('cp-jobs-'),
  };
  const server = await startServer(readConfig(env), registry);
  try {
    const { url, task } = arena.task();
    // Arena refuses the first callback, as with a wrong service account key.
    arena.script(task.guid, [
      { status: 401, body: { error_code: 'invalid_token', message: 'Cannot validate token.' } },
    ]);
    const res = await fetch(`${server.url}/v1/do/reports/Report`, {
      method: 'POST',
      headers: { 'Spiff-Connector-Proxy-Api-Key': 'proxy-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ n: 7, spiff__callback_url: url }),
    });
    assert.equal(res.status, 202);
    await arena.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));

    const io = createFakeIo({ cwd: makeTemp(), env: { CONNECTOR_PROXY_API_KEY: 'proxy-key' } });
    assert.equal(await main(['jobs', '--url', server.url, '--state', 'undeliverable'], io), 0);
    assert.match(io.out(), /^JOB +COMMAND +STATE +ATTEMPTS +LAST ANSWER +CREATED\n/);
    assert.match(io.out(), /reports\/Report +undeliverable +1 +401 /);

    const again = createFakeIo({ cwd: makeTemp(), env: { CONNECTOR_PROXY_API_KEY: 'proxy-key' } });
    assert.equal(await main(['jobs', 'redeliver', '--all', '--url', server.url], again), 0);
    assert.match(again.out(), /: delivering again\n$/);
    await arena.waitFor(2);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(task.completions, 1);

    const json = createFakeIo({ cwd: makeTemp(), env: { CONNECTOR_PROXY_API_KEY: 'proxy-key' } });
    assert.equal(await main(['jobs', '--json', '--url', server.url], json), 0);
    const [job] = JSON.parse(json.out());
    assert.equal(job.state, 'delivered');
    assert.equal(job.attempts, 2);

    const wrongKey = createFakeIo({ cwd: makeTemp(), env: {} });
    assert.equal(await main(['jobs', '--url', server.url], wrongKey), 1);
    assert.match(wrongKey.err(), /^connector-proxy jobs: Unauthorized\n$/);
    const nothing = createFakeIo({ cwd: makeTemp(), env: { CONNECTOR_PROXY_API_KEY: 'proxy-key' } });
    assert.equal(await main(['jobs', 'redeliver', '--url', server.url], nothing), 2);
  } finally {
    await server.close();
    await arena.close();
  }
});
