import type { RedisStoreOptions } from './redis-store.js';
import type { JobStore } from './store.js';

/**
 * Opens the Redis store ({@link import('./redis-store.js').openRedisStore}), loading BullMQ and
 * ioredis only then: a proxy on the file store never loads them, which saves about 25 MB of
 * memory and a sixth of its start-up.
 */
export async function openRedisStore(options: RedisStoreOptions): Promise<JobStore> {
  const store = await import('./redis-store.js');
  return store.openRedisStore(options);
}
