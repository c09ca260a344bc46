import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isExactNumber, parseJson, stringifyJson } from '@connector-proxy/core';
import { Redis } from 'ioredis';
import type { Job } from '../src/job.js';
import { openRedisStore } from '../src/redis-store.js';

const REDIS_URL = process.env.CONNECTOR_PROXY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function removeKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

test('Redis: a job keeps the exact numbers of its request (BullMQ alone would round them)', async (t) => {
  if (!(await redisReachable())) {
    if (process.env.CI === 'true') assert.fail(`Redis is not reachable at ${REDIS_URL}`);
    t.skip(`SKIPPED LOUDLY: Redis is not reachable at ${REDIS_URL}`);
    return;
  }
  const prefix = `cp-exact-${Math.random().toString(36).slice(2, 10)}`;
  const store = await openRedisStore({ url: REDIS_URL, prefix, leaseMs: 5_000 });
  try {
    const text = '{"data":{"id":9007199254740993,"big":123456789012345678901234567890},"spiff__task_data":{"n":1.5}}';
    const parsed = parseJson(text);
    assert.ok(parsed.ok);
    const job: Job = {
      id: `job-${prefix}`,
      command: 'test/Echo',
      state: 'queued',
      callbackUrl: 'http://127.0.0.1:9/callback',
      idempotent: true,
      timeoutMs: 1_000,
      request: parsed.value as Record<string, unknown>,
      runs: 0,
      attempts: 0,
      createdAt: Date.now(),
    };
    await store.add(job);
    const read = await store.get(job.id);
    assert.ok(read?.request);
    assert.ok(isExactNumber((read.request.data as { id: unknown }).id));
    assert.equal(stringifyJson(read.request), text);
    const [listed] = await store.list();
    assert.equal(stringifyJson(listed?.request), text);
  } finally {
    await store.close();
    await removeKeys(prefix);
  }
});
