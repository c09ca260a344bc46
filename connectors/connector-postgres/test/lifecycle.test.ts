import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { type Registry, startRegistry } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import connector from '../src/index.js';
import type { Pools } from '../src/pools.js';
import { CONNECTION, skipReason, sql } from './support.js';

const skip = skipReason;

function poolsOf(registry: Registry): Pools {
  const target = registry.target('postgres_v2', 'DoSQL');
  if (!target) throw new Error('no DoSQL');
  return (target.services as { pools: Pools }).pools;
}

/** A connection string whose connections are ours alone to count in pg_stat_activity. */
function tagged(): { text: string; app: string } {
  const app = `cp_pg_life_${randomBytes(4).toString('hex')}`;
  return { text: `${CONNECTION} application_name=${app}`, app };
}

async function backends(app: string): Promise<number> {
  const [row] = await sql<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
    [app],
  );
  return row?.n ?? -1;
}

/** pg_stat_activity drops a backend a moment after its connection closes. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 50; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(what);
}

async function doSql(registry: Registry, connection: string, text: string, options: { signal?: AbortSignal } = {}) {
  const target = registry.target('postgres_v2', 'DoSQL');
  if (!target) throw new Error('no DoSQL');
  return runCommand(
    target,
    { database_connection_str: connection, schema: { sql: text, fetch_results: true } },
    options,
  );
}

test('pools are made on first use, one per connection string, and every connection closes at close()', {
  skip,
}, async () => {
  const registry = await startRegistry([connector], {});
  const pools = poolsOf(registry);
  assert.deepEqual(pools.stats(), { pools: 0, clients: 0 }, 'nothing is opened at startup');
  const first = tagged();
  const second = tagged();
  assert.deepEqual((await doSql(registry, first.text, 'SELECT 1')).body, [[1]]);
  assert.deepEqual((await doSql(registry, first.text, 'SELECT 2')).body, [[2]]);
  assert.deepEqual(pools.stats(), { pools: 1, clients: 1 }, 'the second command reuses the connection');
  await Promise.all([1, 2, 3].map((n) => doSql(registry, second.text, `SELECT ${n}, pg_sleep(0.1)`)));
  assert.deepEqual(pools.stats(), { pools: 2, clients: 4 });
  assert.equal(await backends(first.app), 1);
  assert.equal(await backends(second.app), 3);

  await registry.close();
  assert.deepEqual(pools.stats(), { pools: 0, clients: 0 });
  await eventually(
    async () => (await backends(first.app)) + (await backends(second.app)) === 0,
    'connections left open',
  );
  const late = await doSql(registry, first.text, 'SELECT 1');
  assert.equal(late.error?.error_code, 'OperationalError');
  assert.equal(late.envelope.command_response.http_status, 503);
  assert.equal(await backends(first.app), 0, 'no pool is made after close');
});

test('a reload closes the old pools and the new registry opens its own', { skip }, async () => {
  const { text, app } = tagged();
  const before = await startRegistry([connector], {});
  await doSql(before, text, 'SELECT 1');
  assert.equal(await backends(app), 1);
  // As `connector-proxy dev` does on a change: the old registry closes, a new one starts.
  await before.close();
  const after = await startRegistry([connector], {});
  await eventually(async () => (await backends(app)) === 0, 'the old pool kept its connection');
  assert.deepEqual((await doSql(after, text, 'SELECT 3')).body, [[3]]);
  assert.equal(await backends(app), 1);
  await after.close();
  await eventually(async () => (await backends(app)) === 0, 'the new pool kept its connection');
});

test('an aborted command (shutdown, deadline) closes its connection, which ends the statement', { skip }, async () => {
  const registry = await startRegistry([connector], {});
  const { text, app } = tagged();
  const abort = new AbortController();
  setTimeout(() => abort.abort(new Error('shutting down')), 300);
  const started = Date.now();
  const result = await doSql(registry, text, 'SELECT pg_sleep(10)', { signal: abort.signal });
  assert.notEqual(result.error, null);
  assert.ok(Date.now() - started < 2_000);
  await eventually(async () => (await backends(app)) === 0, 'the sleeping statement is still running');
  assert.deepEqual(poolsOf(registry).stats(), { pools: 1, clients: 0 });
  await registry.close();
});

test('the number of pools is bounded: the least recently used one is ended', { skip }, async () => {
  const { createPools } = await import('../src/pools.js');
  const { readConnectionString } = await import('../src/connection-string.js');
  const pools = createPools({ maxPools: 2 });
  const strings = [tagged(), tagged(), tagged()];
  for (const { text } of strings) {
    const pool = pools.get(text, readConnectionString(text));
    await pool.query('SELECT 1');
  }
  assert.equal(pools.stats().pools, 2);
  await eventually(async () => (await backends(strings[0]?.app ?? '')) === 0, 'the evicted pool kept its connection');
  await pools.close();
  await eventually(async () => (await backends(strings[2]?.app ?? '')) === 0, 'close left a connection');
});
