import { CommandError, ErrorCode } from '@connector-proxy/core';
import { errorNameOf } from './error-names.js';

/** What every failure message starts with, as in the Python connector. */
export const MESSAGE_PREFIX = 'Error executing sql statement: ';

/**
 * The codes the commands report besides psycopg2's SQLSTATE names, with the `http_status` that
 * tells SpiffArena whether a retry can help (5xx: maybe; 4xx: no).
 */
export const PostgresErrorCode = {
  InvalidParameters: { status: 400, when: 'schema, table_name or a column type is malformed; nothing was run' },
  OperationalError: { status: 503, when: 'the database cannot be reached or refused the connection' },
  ProgrammingError: { status: 400, when: 'database_connection_str is malformed, or fetch_results found no rows' },
  RowLimitExceeded: { status: 413, when: 'the result has more rows than CONNECTOR_POSTGRES_V2_MAX_ROWS' },
  QueryCanceled: { status: 504, when: 'a statement ran past CONNECTOR_POSTGRES_V2_STATEMENT_TIMEOUT_MS' },
} as const;

/** The CommandError for schema/table input the command cannot use; nothing has been run yet. */
export function invalidParameters(message: string): CommandError {
  return new CommandError(ErrorCode.InvalidParameters, `invalid parameters: ${message}`, { httpStatus: 400 });
}

/** A failure with the Python connector's prefix. */
export function postgresError(code: string, message: string, httpStatus: number, cause?: unknown): CommandError {
  return new CommandError(code, `${MESSAGE_PREFIX}${message}`, { httpStatus, cause });
}

/**
 * The `http_status` for an SQLSTATE: 5xx when trying again later may succeed (connection trouble,
 * serialization failures and deadlocks, an overloaded or restarting server), 4xx when the
 * statement itself is wrong and will fail the same way again.
 */
export function statusForSqlstate(sqlstate: string): number {
  if (sqlstate === '57014') return 504;
  if (sqlstate === '42501') return 403;
  if (sqlstate === '55P03') return 503;
  switch (sqlstate.slice(0, 2)) {
    case '08':
    case '40':
    case '53':
    case '57':
      return 503;
    case '23':
    case '55':
      return 409;
    case '28':
      return 401;
    case '58':
    case 'HV':
      return 502;
    case 'XX':
    case 'F0':
      return 500;
    default:
      return 400;
  }
}

/** The fields node-postgres gives a server error (an ErrorResponse message). */
export interface ServerError {
  message: string;
  code: string;
  severity?: string | undefined;
  detail?: string | undefined;
  hint?: string | undefined;
  position?: string | undefined;
  internalPosition?: string | undefined;
  internalQuery?: string | undefined;
  where?: string | undefined;
}

/** True for an error the server sent (it carries a five-character SQLSTATE). */
export function isServerError(error: unknown): error is ServerError {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    /^[0-9A-Z]{5}$/.test(error.code) &&
    'severity' in error
  );
}

/** A server error raised while running `query`, reported as psycopg2 reports it. */
export function fromServerError(error: ServerError, query: string | undefined, cause?: unknown): CommandError {
  return postgresError(errorNameOf(error.code), formatServerError(error, query), statusForSqlstate(error.code), cause);
}

/**
 * A server error as libpq formats it (without the severity, which psycopg2 strips): the message,
 * where in the statement it happened, then DETAIL, HINT, QUERY and CONTEXT lines.
 */
export function formatServerError(error: ServerError, query: string | undefined): string {
  let text = error.message;
  let location = '';
  const position = Number(error.position);
  if (error.position !== undefined && query !== undefined && position > 0) {
    location = showPosition(query, position);
  } else if (error.position !== undefined) {
    text += ` at character ${error.position}`;
  } else if (error.internalPosition !== undefined && error.internalQuery !== undefined) {
    location = showPosition(error.internalQuery, Number(error.internalPosition));
  }
  text += `\n${location}`;
  if (error.detail) text += `DETAIL:  ${error.detail}\n`;
  if (error.hint) text += `HINT:  ${error.hint}\n`;
  if (error.internalQuery) text += `QUERY:  ${error.internalQuery}\n`;
  if (error.where) text += `CONTEXT:  ${error.where}\n`;
  return text;
}

/** Screen width libpq allows the quoted line, and how far it keeps the cut from the marked spot. */
const DISPLAY_SIZE = 60;
const MIN_RIGHT_CUT = 10;

/**
 * libpq's "LINE n: ..." display with a caret under the character at `position` (1-based,
 * counted in characters); long lines are cut around it with "...". Every character counts as one
 * column (libpq gives East Asian wide characters two).
 */
export function showPosition(query: string, position: number): string {
  const chars = [...query.replaceAll('\t', ' ')];
  const at = position - 1;
  if (!Number.isInteger(at) || at < 0 || at > chars.length) return '';
  let line = 1;
  let begin = 0;
  let end = chars.length;
  for (let index = 0; index < chars.length; index += 1) {
    const char = chars[index];
    if (char !== '\r' && char !== '\n') continue;
    if (index >= at) {
      end = index;
      break;
    }
    // "\r\n" ends one line, not two.
    if (char === '\r' || index === 0 || chars[index - 1] !== '\r') line += 1;
    begin = index + 1;
  }
  let cutLeft = false;
  let cutRight = false;
  if (end - begin > DISPLAY_SIZE) {
    if (begin + DISPLAY_SIZE >= at + MIN_RIGHT_CUT) {
      end = begin + DISPLAY_SIZE;
      cutRight = true;
    } else {
      if (at + MIN_RIGHT_CUT < end) {
        end = at + MIN_RIGHT_CUT;
        cutRight = true;
      }
      if (end - begin > DISPLAY_SIZE) {
        begin = end - DISPLAY_SIZE;
        cutLeft = true;
      }
    }
  }
  const prefix = `LINE ${line}: ${cutLeft ? '...' : ''}`;
  const shown = `${prefix}${chars.slice(begin, end).join('')}${cutRight ? '...' : ''}`;
  return `${shown}\n${' '.repeat(prefix.length + at - begin)}^\n`;
}
