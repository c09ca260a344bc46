/**
 * The real PostgreSQL the tests run against (PGHOST/PGPORT/PGDATABASE/PGUSER, default
 * 127.0.0.1:5432, database `test`, trust auth), the connector started as the proxy starts it, and
 * table names unique to this run, since other test runs share the database.
 */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { after } from 'node:test';
import { type Registry, startRegistry, type Target } from '@connector-proxy/core';
import { type CommandRun, runCommand } from '@connector-proxy/core/testing';
import pg from 'pg';
import connector from '../src/index.js';

/** Where the test database is; each part can be set with the usual PG* variable. */
export const database = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  database: process.env.PGDATABASE || 'test',
  user: process.env.PGUSER || userInfo().username,
};

/** The test database as a libpq keyword connection string, as SpiffArena diagrams give it. */
export const CONNECTION = `dbname=${database.database} user=${database.user} host=${database.host} port=${database.port}`;

/** Why the database tests are skipped, or undefined when the server answers. */
export const skipReason = await probe();

async function probe(): Promise<string | undefined> {
  const client = new pg.Client({ ...database, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL at ${database.host}:${database.port}/${database.database} is not reachable (${error instanceof Error ? error.message : String(error)})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI needs it`);
    console.warn(`\n*** SKIPPING the PostgreSQL tests: ${reason} ***\n`);
    return reason;
  }
}

/** A prefix for this run's tables, so runs sharing the database never meet. */
export const PREFIX = `cp_pg_${randomBytes(4).toString('hex')}`;
let tables = 0;
/** A fresh table name of this run. */
export function tableName(hint = 't'): string {
  tables += 1;
  return `${PREFIX}_${hint}_${tables}`;
}

let registry: Registry | undefined;
/** The connector started as the proxy starts it (its pools shared by every test of a file). */
export async function started(env: Record<string, string> = {}): Promise<Registry> {
  registry ??= await startRegistry([connector], { env });
  return registry;
}

/** A command of the started connector. */
export async function target(name: string): Promise<Target> {
  const found = (await started()).target('postgres_v2', name);
  if (!found) throw new Error(`postgres_v2 has no ${name}`);
  return found;
}

/** Runs a command with the test database's connection string unless the params give one. */
export async function run(name: string, params: Record<string, unknown>): Promise<CommandRun> {
  return runCommand(await target(name), { database_connection_str: CONNECTION, ...params });
}

/** Runs a command and fails the test unless it succeeded; returns the body. */
export async function ok(name: string, params: Record<string, unknown>): Promise<unknown> {
  const result = await run(name, params);
  if (result.error) throw new Error(`${name} failed: ${result.error.error_code}: ${result.error.message}`);
  return result.body;
}

let admin: pg.Client | undefined;
/** A plain client of the test database, to look at what the commands did. */
export async function sql<R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
): Promise<R[]> {
  if (!admin) {
    admin = new pg.Client(database);
    await admin.connect();
  }
  return (await admin.query<R>(text, values)).rows;
}

/** The names of this run's tables that exist now (in every schema). */
export async function ourTables(): Promise<string[]> {
  const rows = await sql<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
     WHERE table_name LIKE $1 ORDER BY 1`,
    [`${PREFIX}%`],
  );
  return rows.map((row) => row.name);
}

after(async () => {
  if (skipReason) return;
  // Drop what this run made (also quoted and mixed-case names), then close everything.
  for (const row of await sql<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_name ILIKE $1`,
    [`${PREFIX}%`],
  )) {
    await sql(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(row.schema)}.${pg.escapeIdentifier(row.name)} CASCADE`);
  }
  for (const row of await sql<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname ILIKE $1`, [
    `${PREFIX}%`,
  ])) {
    await sql(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(row.name)} CASCADE`);
  }
  await registry?.close();
  await admin?.end();
});
