/**
 * One node-postgres pool per connection string, created on first use and ended when the
 * connector closes (at shutdown, and before a dev reload swaps the connector). The number of
 * pools is bounded: a proxy serving many databases ends the least recently used pool first.
 */
import { createRequire } from 'node:module';
import { onFirstUse } from '@connector-proxy/core';
import type pg from 'pg';
import type { Connection } from './connection-string.js';
import { postgresError } from './errors.js';

/** node-postgres (about 15 MB): found at start-up, loaded when the first pool is made. */
const driver = onFirstUse<typeof pg>(createRequire(import.meta.url), 'pg');

/** Bounds of each pool and of how many pools are kept. */
export interface PoolsOptions {
  /** Pools kept open at most; the least recently used is ended beyond it. */
  maxPools?: number;
  /** Connections per pool at most. */
  maxClients?: number;
  /** An idle connection is closed after this long. */
  idleTimeoutMs?: number;
  /** Giving up on a new connection after this long, unless the connection string sets connect_timeout. */
  connectTimeoutMs?: number;
}

/** The connector's pools. */
export interface Pools {
  /** The pool for a connection string, created on first use. */
  get(key: string, connection: Connection): pg.Pool;
  /** Pools open now, and their connections (idle or in use). */
  stats(): { pools: number; clients: number };
  /** Ends every pool; waits for connections in use to be given back. No pool is made after it. */
  close(): Promise<void>;
}

/** Shown in pg_stat_activity unless the connection string sets application_name. */
export const APPLICATION_NAME = 'connector-proxy postgres_v2';

/** Creates the (empty) set of pools; each is made when a command first needs it. */
export function createPools(options: PoolsOptions = {}): Pools {
  const { maxPools = 20, maxClients = 10, idleTimeoutMs = 10_000, connectTimeoutMs = 10_000 } = options;
  const pools = new Map<string, pg.Pool>();
  const ending = new Set<Promise<void>>();
  let closed = false;

  const end = (pool: pg.Pool) => {
    const done = pool.end().catch(() => {});
    ending.add(done);
    void done.finally(() => ending.delete(done));
  };

  return {
    get(key, connection) {
      if (closed) throw postgresError('OperationalError', 'the proxy is shutting down\n', 503);
      const known = pools.get(key);
      if (known) {
        // Most recently used last, so the first entry is the one to end.
        pools.delete(key);
        pools.set(key, known);
        return known;
      }
      const pool = new (driver().Pool)({
        fallback_application_name: APPLICATION_NAME,
        ...connection.config,
        max: maxClients,
        idleTimeoutMillis: idleTimeoutMs,
        connectionTimeoutMillis: connection.config.connectionTimeoutMillis ?? connectTimeoutMs,
        // Idle connections do not keep a `connector-proxy run` process alive.
        allowExitOnIdle: true,
      });
      // An idle connection the server drops is an 'error' on the pool; without a listener, a crash.
      pool.on('error', () => {});
      pools.set(key, pool);
      for (const [oldKey, oldPool] of pools) {
        if (pools.size <= maxPools) break;
        pools.delete(oldKey);
        end(oldPool);
      }
      return pool;
    },
    stats() {
      let clients = 0;
      for (const pool of pools.values()) clients += pool.totalCount;
      return { pools: pools.size, clients };
    },
    async close() {
      closed = true;
      for (const pool of pools.values()) end(pool);
      pools.clear();
      await Promise.all([...ending]);
    },
  };
}
