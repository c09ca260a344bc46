import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { restartDelayMs } from '../src/cluster.js';
import { ConfigError, readConfig } from '../src/config.js';

test('CONNECTOR_PROXY_WORKERS is 1 by default, a whole number, or auto for one per available core', () => {
  assert.equal(readConfig({}).workers, 1);
  assert.equal(readConfig({ CONNECTOR_PROXY_WORKERS: '3' }).workers, 3);
  assert.equal(readConfig({ CONNECTOR_PROXY_WORKERS: ' auto ' }).workers, availableParallelism());
  for (const bad of ['0', '-1', '1.5', 'two', '257']) {
    assert.throws(() => readConfig({ CONNECTOR_PROXY_WORKERS: bad }), ConfigError, bad);
    assert.throws(() => readConfig({ CONNECTOR_PROXY_WORKERS: bad }), /CONNECTOR_PROXY_WORKERS must be/);
  }
});

test('a worker that keeps crashing is restarted after a doubling delay, capped at 10 s', () => {
  assert.deepEqual([1, 2, 3, 4, 8, 20].map(restartDelayMs), [100, 200, 400, 800, 10_000, 10_000]);
});
