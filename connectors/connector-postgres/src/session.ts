/**
 * One command's work on the database: a connection from the pool, one transaction with a
 * statement timeout below the command's deadline, rows read (at most the row cap) before the
 * commit, then the connection given back. A failure rolls everything back; an abort (deadline,
 * shutdown) cancels the running statement and closes the connection, which rolls back.
 */
import { createRequire } from 'node:module';
import { onFirstUse } from '@connector-proxy/core';
import type { Pool, PoolClient, QueryResult } from 'pg';
import type Cursor from 'pg-cursor';
import { cancelBackend } from './cancel.js';
import type { Connection } from './connection-string.js';
import { invalidParameters, postgresError } from './errors.js';
import { fromConnectError, fromQueryError } from './failures.js';
import { jsonSafeTypes, toParameter } from './values.js';

/** pg-cursor: found at start-up, loaded with the first statement that returns rows. */
const cursorClass = onFirstUse<typeof Cursor>(createRequire(import.meta.url), 'pg-cursor');

/** What a session needs besides the pool. */
export interface SessionOptions {
  /** The configured statement timeout; shortened to stay below the deadline. */
  statementTimeoutMs: number;
  /** Rows a result may have at most; more is a RowLimitExceeded error. */
  maxRows: number;
  signal: AbortSignal;
  /** The command's deadline, epoch milliseconds. */
  deadline: number;
  log(message: string): void;
  /** Run DISCARD ALL before the connection goes back: DoSQL may change session settings. */
  resetSession?: boolean;
}

/** The statements of one command, all in one transaction. */
export interface Session {
  /** Runs SQL (several statements when there are no values); the row count of the last, null if none. */
  execute(sql: string, values?: readonly unknown[]): Promise<number | null>;
  /** Runs one statement and returns its rows as lists of JSON-safe values. */
  fetch(sql: string, values?: readonly unknown[]): Promise<unknown[][]>;
}

/** The statement timeout for a command: the configured one, but ending before the deadline does. */
export function statementTimeoutFor(configured: number, deadline: number, now = Date.now()): number {
  const remaining = deadline - now;
  // Leave time to roll back and answer with the database's own error instead of CommandTimeout.
  const margin = Math.min(1_000, Math.floor(remaining / 10));
  return Math.max(1, Math.min(configured, remaining - margin));
}

/** Runs `work` in a transaction on a connection of `pool`; every failure is a CommandError. */
export async function withSession<T>(
  pool: Pool,
  connection: Connection,
  options: SessionOptions,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const { signal } = options;
  signal.throwIfAborted();
  const client = await connectUnlessAborted(pool, signal).catch((error: unknown) => {
    throw signal.aborted ? signal.reason : fromConnectError(error, connection.server);
  });
  let released = false;
  let broken = false;
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    client.release(destroy ? true : undefined);
  };
  const onError = () => {
    broken = true;
  };
  const onNotice = (notice: { message?: string }) => options.log(`notice: ${notice.message ?? ''}`);
  const onAbort = () => {
    cancelBackend(client);
    release(true);
  };
  // A connection in use has no listener of the pool's: without one, an error event would crash.
  client.on('error', onError);
  client.on('notice', onNotice);
  signal.addEventListener('abort', onAbort, { once: true });

  let running: string | undefined;
  const session = createSession(client, options.maxRows, (sql) => {
    running = sql;
  });
  try {
    const timeout = statementTimeoutFor(options.statementTimeoutMs, options.deadline);
    running = 'BEGIN';
    // DateStyle ISO, as psycopg2 sets it: dates and timestamps are then read as ISO 8601.
    await client.query(`BEGIN; SET LOCAL statement_timeout = ${timeout}; SET LOCAL DateStyle = ISO`);
    const result = await work(session);
    running = 'COMMIT';
    await client.query('COMMIT');
    if (options.resetSession) await client.query('DISCARD ALL');
    return result;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (!released && !broken) {
      await client.query(options.resetSession ? 'ROLLBACK; DISCARD ALL' : 'ROLLBACK').catch(() => {
        broken = true;
      });
    }
    throw fromQueryError(error, running);
  } finally {
    signal.removeEventListener('abort', onAbort);
    client.off('notice', onNotice);
    release(broken);
    client.off('error', onError);
  }
}

function createSession(client: PoolClient, maxRows: number, started: (sql: string) => void): Session {
  const check = (sql: string) => {
    if (sql.includes('\0')) throw invalidParameters('the SQL contains a NUL character');
    started(sql);
  };
  return {
    async execute(sql, values = []) {
      check(sql);
      const config = { text: sql, rowMode: 'array' as const, types: jsonSafeTypes };
      // Without values, the simple protocol runs several statements at once, as psycopg2 does.
      const results: QueryResult | QueryResult[] =
        values.length === 0
          ? await client.query(config)
          : await client.query({ ...config, values: values.map(toParameter) });
      const last = Array.isArray(results) ? results.at(-1) : results;
      return last?.rowCount ?? null;
    },
    async fetch(sql, values = []) {
      check(sql);
      const cursor = client.query(
        new (cursorClass())(sql, values.map(toParameter), { rowMode: 'array', types: jsonSafeTypes }),
      );
      try {
        const { rows, result } = await read(cursor, maxRows + 1);
        if (rows.length > maxRows) {
          throw postgresError(
            'RowLimitExceeded',
            `the result has more than ${maxRows} rows (CONNECTOR_POSTGRES_V2_MAX_ROWS); ask for fewer, with a where clause or LIMIT\n`,
            413,
          );
        }
        // As psycopg2's fetchall after a statement that returns no rows (an INSERT without RETURNING).
        if (result.fields.length === 0 && result.command !== 'SELECT') {
          throw postgresError('ProgrammingError', 'no results to fetch\n', 400);
        }
        return rows;
      } finally {
        await cursor.close().catch(() => {});
      }
    },
  };
}

function read(cursor: Cursor, count: number): Promise<{ rows: unknown[][]; result: QueryResult }> {
  return new Promise((resolve, reject) => {
    cursor.read(count, (error, rows, result) => {
      if (error) reject(error);
      else resolve({ rows: rows as unknown[][], result });
    });
  });
}

/** A connection from the pool, or the abort's reason; a connection that arrives too late goes back. */
function connectUnlessAborted(pool: Pool, signal: AbortSignal): Promise<PoolClient> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    pool.connect().then(
      (client) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) client.release();
        else resolve(client);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
