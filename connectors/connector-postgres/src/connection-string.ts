/**
 * `database_connection_str` as libpq (and so psycopg2) reads it: either keyword/value pairs
 * (`dbname=dev user=dev password=dev host=db port=5432`, values optionally 'single quoted' with
 * backslash escapes) or a `postgresql://` URL. pg-connection-string reads URLs but not the
 * keyword form, so the keyword form is parsed here and only its ssl* keywords go through
 * pg-connection-string, which turns them into node-postgres' TLS options as it does for URLs.
 */

import type { PoolConfig } from 'pg';
import { parse, toClientConfig } from 'pg-connection-string';
import { postgresError } from './errors.js';

/** A parsed connection string: what node-postgres needs, and what messages may show. */
export interface Connection {
  /** node-postgres settings for this database. */
  config: PoolConfig;
  /** The password, to be masked wherever the answer goes. */
  password: string | undefined;
  /** Where it connects and as whom, for logs and messages (never the password). */
  server: { host: string; port: number; database: string | undefined; user: string | undefined };
  /** libpq keywords given that node-postgres has no equivalent for; they are ignored. */
  ignored: string[];
}

const URL_FORM = /^postgres(?:ql)?:\/\//i;

/** libpq's connection keywords; anything else is refused as libpq refuses it. */
const KEYWORDS = new Set(
  `host hostaddr port dbname user password passfile channel_binding connect_timeout client_encoding options
  application_name fallback_application_name keepalives keepalives_idle keepalives_interval keepalives_count
  tcp_user_timeout replication gssencmode sslmode requiressl sslcompression sslcert sslkey sslpassword sslrootcert
  sslcrl sslcrldir sslsni requirepeer ssl_min_protocol_version ssl_max_protocol_version krbsrvname gsslib
  gssdelegation service target_session_attrs load_balance_hosts require_auth sslnegotiation sslcertmode`.split(/\s+/),
);
/** Keywords pg-connection-string turns into TLS options. */
const SSL_KEYWORDS = new Set(['sslmode', 'sslcert', 'sslkey', 'sslrootcert', 'sslnegotiation', 'uselibpqcompat']);
/** Keywords mapped one to one onto node-postgres settings. */
const PASSED_ON = new Set(['client_encoding', 'options', 'application_name', 'fallback_application_name']);

/** Reads a connection string; a malformed one is psycopg2's ProgrammingError "invalid dsn". */
export function readConnectionString(text: string): Connection {
  const trimmed = text.trim();
  const keywords = URL_FORM.test(trimmed) ? readUrl(trimmed) : readKeywords(trimmed);
  return toConnection(keywords);
}

function invalidDsn(message: string): Error {
  return postgresError('ProgrammingError', `invalid dsn: ${message}\n`, 400);
}

/** Keyword/value pairs, parsed as libpq's conninfo_parse does. */
export function readKeywords(text: string): Map<string, string> {
  const found = new Map<string, string>();
  let at = 0;
  const space = (char: string | undefined) => char !== undefined && /\s/.test(char);
  while (at < text.length) {
    while (space(text[at])) at += 1;
    if (at >= text.length) break;
    const start = at;
    while (at < text.length && text[at] !== '=' && !space(text[at])) at += 1;
    const keyword = text.slice(start, at);
    while (space(text[at])) at += 1;
    if (text[at] !== '=') throw invalidDsn(`missing "=" after "${keyword}" in connection info string`);
    at += 1;
    while (space(text[at])) at += 1;
    let value = '';
    if (text[at] === "'") {
      at += 1;
      for (;;) {
        if (at >= text.length) throw invalidDsn('unterminated quoted string in connection info string');
        const char = text[at];
        if (char === '\\' && at + 1 < text.length) {
          value += text[at + 1];
          at += 2;
        } else if (char === "'") {
          at += 1;
          break;
        } else {
          value += char;
          at += 1;
        }
      }
    } else {
      while (at < text.length && !space(text[at])) {
        if (text[at] === '\\' && at + 1 < text.length) at += 1;
        value += text[at];
        at += 1;
      }
    }
    if (!KEYWORDS.has(keyword)) throw invalidDsn(`invalid connection option "${keyword}"`);
    // An empty value means "the default", as in libpq.
    if (value === '') found.delete(keyword);
    else found.set(keyword, value);
  }
  return found;
}

/** A URL's parts as libpq keywords, read by pg-connection-string. */
function readUrl(text: string): Map<string, string> {
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(text) as Record<string, unknown>;
  } catch (error) {
    if (isFileError(error)) throw unreadableFile(error);
    // Its error may quote the URL, and so the password.
    throw invalidDsn('invalid connection URI');
  }
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' || value === '' || key === 'ssl') continue;
    found.set(key === 'database' ? 'dbname' : key, value);
  }
  return found;
}

function toConnection(keywords: Map<string, string>): Connection {
  const config: PoolConfig = {};
  const ignored: string[] = [];
  const host = keywords.get('hostaddr') ?? keywords.get('host');
  if (host !== undefined) {
    if (host.includes(',')) throw postgresError('NotSupportedError', 'several hosts are not supported\n', 400);
    config.host = host;
  }
  const port = keywords.get('port');
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535) {
      throw invalidDsn(`invalid integer value "${port}" for connection option "port"`);
    }
    config.port = Number(port);
  }
  const database = keywords.get('dbname');
  const user = keywords.get('user');
  const password = keywords.get('password');
  if (database !== undefined) config.database = database;
  if (user !== undefined) config.user = user;
  if (password !== undefined) config.password = password;
  const timeout = keywords.get('connect_timeout');
  // As libpq: whole seconds, 0 is no limit, and anything below 2 counts as 2.
  if (timeout !== undefined && /^\d+$/.test(timeout) && Number(timeout) > 0) {
    config.connectionTimeoutMillis = Math.max(2, Number(timeout)) * 1000;
  }
  if (keywords.get('keepalives') === '0') config.keepAlive = false;
  const idle = keywords.get('keepalives_idle');
  if (idle !== undefined && /^\d+$/.test(idle)) {
    config.keepAlive = true;
    config.keepAliveInitialDelayMillis = Number(idle) * 1000;
  }
  if (keywords.get('requiressl') === '1' && !keywords.has('sslmode')) keywords.set('sslmode', 'require');
  const ssl = readSsl(keywords);
  if (ssl !== undefined) config.ssl = ssl;
  const passed: Record<string, string> = {};
  for (const [keyword, value] of keywords) {
    if (PASSED_ON.has(keyword)) passed[keyword] = value;
    else if (!HANDLED.has(keyword) && !SSL_KEYWORDS.has(keyword)) ignored.push(keyword);
  }
  Object.assign(config, passed);
  return {
    config,
    password,
    server: { host: host ?? 'localhost', port: config.port ?? 5432, database, user },
    ignored,
  };
}

const HANDLED = new Set([
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'password',
  'connect_timeout',
  'keepalives',
  'keepalives_idle',
  'requiressl',
]);

/** node-postgres' `ssl` setting for the ssl* keywords, as pg-connection-string makes it. */
function readSsl(keywords: Map<string, string>): PoolConfig['ssl'] {
  const query = new URLSearchParams();
  for (const [keyword, value] of keywords) if (SSL_KEYWORDS.has(keyword)) query.set(keyword, value);
  if ([...query.keys()].length === 0) return undefined;
  let parsed: { ssl?: unknown };
  try {
    parsed = toClientConfig(parse(`postgresql://localhost/?${query}`)) as { ssl?: unknown };
  } catch (error) {
    throw isFileError(error) ? unreadableFile(error) : invalidDsn('invalid ssl settings');
  }
  return parsed.ssl as PoolConfig['ssl'];
}

function isFileError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' && 'syscall' in error;
}

/** sslrootcert/sslcert/sslkey name a file that cannot be read; libpq reports that as it connects. */
function unreadableFile(error: Error & { code: string }): Error {
  const path = 'path' in error && typeof error.path === 'string' ? ` "${error.path}"` : '';
  return postgresError('OperationalError', `could not read certificate file${path}: ${error.code}\n`, 400);
}
