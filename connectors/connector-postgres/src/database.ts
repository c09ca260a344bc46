/**
 * What every command does around its SQL: read the connection string, mask its password, take the
 * pool for it and run the statements in one transaction within the configured bounds.
 */
import { readConnectionString } from './connection-string.js';
import type { PostgresContext } from './services.js';
import { type Session, withSession } from './session.js';

/** The parameter every command has. */
export interface DatabaseArgs {
  database_connection_str: string;
}

/** Runs `work` on the database the connection string names, in one transaction. */
export async function onDatabase<T>(
  args: DatabaseArgs,
  context: PostgresContext,
  work: (session: Session) => Promise<T>,
  options: { resetSession?: boolean } = {},
): Promise<T> {
  const { config, services, log, signal, deadline } = context;
  const connection = readConnectionString(args.database_connection_str);
  if (connection.password) context.redact(connection.password);
  const { host, port, database, user } = connection.server;
  log(`database ${database ?? '(default)'} on ${host}:${port} as ${user ?? '(default user)'}`);
  if (connection.ignored.length > 0) log(`ignored connection options: ${connection.ignored.join(', ')}`);
  const pool = services.pools.get(args.database_connection_str.trim(), connection);
  const sessionOptions = {
    statementTimeoutMs: config.STATEMENT_TIMEOUT_MS,
    maxRows: config.MAX_ROWS,
    signal,
    deadline,
    log,
    resetSession: options.resetSession ?? false,
  };
  return withSession(pool, connection, sessionOptions, work);
}

/** The body the Python connector answers for a statement without rows to return. */
export function rowsAffected(count: number | null): { result: string } {
  return { result: count === null || count < 0 ? 'ok' : `${count} rows affected` };
}
