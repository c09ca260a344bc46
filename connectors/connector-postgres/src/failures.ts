/**
 * Failures that are not an SQL error: the connection could not be made, or broke. psycopg2 reports
 * all of them as `OperationalError` with libpq's message, which these messages follow
 * (`connection to server at "127.0.0.1", port 5432 failed: Connection refused ...`).
 */
import { isCommandError } from '@connector-proxy/core';
import type { Connection } from './connection-string.js';
import { formatServerError, fromServerError, isServerError, postgresError, statusForSqlstate } from './errors.js';

const IS_IT_RUNNING = '\n\tIs the server running on that host and accepting TCP/IP connections?';
const CLOSED =
  'server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n\tbefore or while processing the request.';

/** System errors while connecting: libpq's wording and whether a retry may help. */
const NETWORK: Record<string, { reason: string; status: number }> = {
  ECONNREFUSED: { reason: `Connection refused${IS_IT_RUNNING}`, status: 503 },
  EHOSTUNREACH: { reason: `No route to host${IS_IT_RUNNING}`, status: 503 },
  ENETUNREACH: { reason: `Network is unreachable${IS_IT_RUNNING}`, status: 503 },
  ETIMEDOUT: { reason: 'timeout expired', status: 504 },
  ECONNRESET: { reason: CLOSED, status: 502 },
  EPIPE: { reason: CLOSED, status: 502 },
  ENOENT: {
    reason: 'No such file or directory\n\tIs the server running locally and accepting connections on that socket?',
    status: 503,
  },
};

/** What node-postgres (or the socket under it) may attach to an error. */
interface ErrorFields {
  message: string;
  code: string | undefined;
  address: string | undefined;
}

function fieldsOf(error: unknown): ErrorFields {
  const text = (name: string) => {
    if (typeof error !== 'object' || error === null || !(name in error)) return undefined;
    const value: unknown = Reflect.get(error, name);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    message: error instanceof Error ? error.message : String(error),
    code: text('code'),
    address: text('address'),
  };
}

/** A failure to open a connection, as psycopg2.connect reports it: always OperationalError. */
export function fromConnectError(error: unknown, server: Connection['server']) {
  if (isCommandError(error)) return error;
  const { host, port } = server;
  const fields = fieldsOf(error);
  const ip = fields.address !== undefined && fields.address !== host ? ` (${fields.address})` : '';
  const at = host.startsWith('/')
    ? `connection to server on socket "${host}/.s.PGSQL.${port}" failed: `
    : `connection to server at "${host}"${ip}, port ${port} failed: `;
  const fail = (reason: string, status: number) => postgresError('OperationalError', `${reason}\n`, status, error);
  if (isServerError(error)) {
    // The server refused us after the TCP connection: login, database, too many connections ...
    const status = statusForSqlstate(error.code);
    return postgresError('OperationalError', `${at}FATAL:  ${formatServerError(error, undefined)}`, status, error);
  }
  if (fields.code === 'ENOTFOUND')
    return fail(`could not translate host name "${host}" to address: Name or service not known`, 502);
  if (fields.code === 'EAI_AGAIN') {
    return fail(`could not translate host name "${host}" to address: Temporary failure in name resolution`, 503);
  }
  const network = fields.code === undefined ? undefined : NETWORK[fields.code];
  if (network) return fail(`${at}${network.reason}`, network.status);
  const message = fields.message;
  if (/timeout/i.test(message)) return fail(`${at}timeout expired`, 504);
  if (/does not support SSL/i.test(message)) return fail(`${at}server does not support SSL, but SSL was required`, 400);
  if (/password must be a string/i.test(message)) return fail(`${at}fe_sendauth: no password supplied`, 401);
  if (/terminated unexpectedly/i.test(message)) return fail(`${at}${CLOSED}`, 502);
  if (/certificate|self[- ]signed|altname/i.test(message) || fields.code?.includes('CERT')) {
    return fail(`${at}SSL error: ${message}`, 400);
  }
  return fail(`${at}${message}`, 502);
}

/** A failure while a statement ran: the SQL error by its psycopg2 name, or a broken connection. */
export function fromQueryError(error: unknown, query: string | undefined) {
  if (isCommandError(error)) return error;
  if (isServerError(error)) return fromServerError(error, query, error);
  const { message, code } = fieldsOf(error);
  if (
    /connection terminated|not queryable|ECONNRESET|EPIPE/i.test(message) ||
    code === 'ECONNRESET' ||
    code === 'EPIPE'
  ) {
    return postgresError('OperationalError', `${CLOSED}\n`, 502, error);
  }
  return postgresError('InterfaceError', `${message}\n`, 500, error);
}
