import { availableParallelism } from 'node:os';
import { DEFAULT_TIMEOUT_MS } from '@connector-proxy/core';
import {
  ASYNC_AFTER_LIMIT_MS,
  type CallbackCredential,
  DEFAULT_CALLBACK_TTL_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_DATA_DIR,
  DEFAULT_RETRY,
  toOrigin,
} from '@connector-proxy/jobs/settings';
import { createEgressPolicy } from './egress/policy.js';

/** The proxy's settings; built only by {@link readConfig}, everything else takes it as an argument. */
export interface Config {
  host: string;
  port: number;
  /** `undefined`: the API is open. Never logged. */
  apiKey: string | undefined;
  /**
   * Origins allowed to call `/v1/*` from a browser, each `scheme://host[:port]` as browsers send it,
   * or `['*']` (only with an API key); empty means no CORS headers.
   */
  corsOrigins: string[];
  /** Extra connectors to load: package names or paths (`CONNECTOR_PROXY_CONNECTORS`). */
  connectors: string[];
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Deadline of every command; the backend gives up after 45 s. */
  commandTimeoutMs: number;
  /** A client must send a request's headers within this (else 408); at most `requestTimeoutMs`. */
  headersTimeoutMs: number;
  /** A client must send a whole request, body included, within this (else 408): the deadline plus a margin. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; longer than load balancers' usual 60 s. */
  keepAliveTimeoutMs: number;
  /** How long shutdown waits for requests in flight before closing their connections. */
  shutdownGraceMs: number;
  /** `json` lines for log collectors, `text` for people, `off` for none. */
  logFormat: 'json' | 'text' | 'off';
  /** Serve Prometheus metrics at `/metrics`. */
  metrics: boolean;
  /** Where connectors may connect: the preset and the allow and deny lists (checked at startup). */
  egress: { preset: 'open' | 'default' | 'public'; allow: string[]; deny: string[] };
  /**
   * Every `CONNECTOR_<NAME>_<KEY>` variable (not `CONNECTOR_PROXY_*`), as given: split by connector
   * once the connectors are loaded, by the longest connector name that matches, and checked against
   * each connector's declarations at startup (core's `startRegistry`).
   */
  connectorEnv: Record<string, string>;
  /** Server processes sharing the port (node:cluster); 1 runs none. */
  workers: number;
  /** Long-running commands and their callbacks; undefined when callbacks are not configured. */
  jobs: JobsConfig | undefined;
}

/** Where jobs are kept: a journal in a local folder, or Redis shared by several instances. */
export type JobStoreConfig =
  | { kind: 'file'; dir: string }
  /** The URL may hold a password: never logged (see `describeRedisUrl`). */
  | { kind: 'redis'; url: string; prefix: string };

/** The settings of long-running commands (`CONNECTOR_PROXY_CALLBACK_*`, `CONNECTOR_PROXY_JOBS*`). */
export interface JobsConfig {
  /** Origins a callback URL may have; the credential goes nowhere else. */
  callbackOrigins: string[];
  /** How the proxy authenticates to SpiffArena's callback endpoint. Never logged. */
  credential: CallbackCredential;
  /** Delivery gives up this long after the result was ready. */
  callbackTtlMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Switch any command still running after this many ms to the callback path. */
  asyncAfterMs: number | undefined;
  store: JobStoreConfig;
  /** How long a job stays claimed by an instance that gives no sign of life (Redis). */
  leaseMs: number;
  /** Jobs one instance works on at once. */
  concurrency: number;
}

/** A bad environment value; the message is one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7004;
export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_MS = 50_000;
/** Headers are a few hundred bytes that every real client sends at once; a slow drip is an attack. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** Added to the command deadline: a body that takes longer to arrive leaves the command no time to run. */
export const REQUEST_TIMEOUT_MARGIN_MS = 5_000;
/** Above the 60 s idle timeout of common load balancers, so the proxy never closes a connection they reuse. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

type Env = Record<string, string | undefined>;

/** What help and docs say about one variable the proxy reads. */
export interface EnvDeclaration {
  /** The value used when the variable is unset, as text; undefined when unset means "off" or "none". */
  default?: string;
  description: string;
  secret?: boolean;
}

/**
 * Every `CONNECTOR_PROXY_*` variable {@link readConfig} reads; its readers take only these names,
 * so a variable cannot be read without being declared (and shown by `serve --help`).
 */
export const SERVER_ENV = {
  CONNECTOR_PROXY_HOST: { default: DEFAULT_HOST, description: 'address to listen on (0.0.0.0 in a container)' },
  CONNECTOR_PROXY_PORT: { default: String(DEFAULT_PORT), description: 'port to listen on; 0 picks a free one' },
  CONNECTOR_PROXY_API_KEY: {
    description: 'when set, /v1/* and /metrics need the Spiff-Connector-Proxy-Api-Key header with this value',
    secret: true,
  },
  CONNECTOR_PROXY_CORS_ORIGINS: {
    description:
      'comma-separated origins (scheme://host[:port]) allowed to call /v1/* from a browser; * needs an API key',
  },
  CONNECTOR_PROXY_CONNECTORS: { description: 'more connectors: comma-separated package names or paths' },
  CONNECTOR_PROXY_BODY_LIMIT_BYTES: {
    default: String(DEFAULT_BODY_LIMIT_BYTES),
    description: 'largest request body, in bytes; larger ones get 413',
  },
  CONNECTOR_PROXY_COMMAND_TIMEOUT_MS: {
    default: String(DEFAULT_TIMEOUT_MS),
    description: 'deadline of every command, in ms (the backend gives up at 45 s)',
  },
  CONNECTOR_PROXY_SHUTDOWN_GRACE_MS: {
    default: String(DEFAULT_SHUTDOWN_GRACE_MS),
    description: 'on SIGTERM/SIGINT, how long requests in flight may finish, in ms',
  },
  CONNECTOR_PROXY_LOG_FORMAT: { default: 'text', description: 'request log: text, json (one object a line) or off' },
  CONNECTOR_PROXY_METRICS: { default: 'false', description: 'true serves Prometheus metrics at GET /metrics' },
  CONNECTOR_PROXY_EGRESS: {
    default: 'default',
    description: 'where connectors may connect: open, default (not cloud metadata or link-local) or public',
  },
  CONNECTOR_PROXY_EGRESS_ALLOW: { description: 'comma-separated CIDRs, addresses and host names allowed anyway' },
  CONNECTOR_PROXY_EGRESS_DENY: { description: 'the same, always denied (deny wins over allow)' },
  CONNECTOR_PROXY_CALLBACK_ORIGINS: {
    description: "comma-separated origins a long-running command's spiff__callback_url may have; unset: callbacks off",
  },
  CONNECTOR_PROXY_CALLBACK_API_KEY: {
    description: "a SpiffArena service account's key, sent as SpiffWorkflow-Api-Key with every callback",
    secret: true,
  },
  CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN: {
    description: 'instead of the key: a token sent as Authorization: Bearer with every callback',
    secret: true,
  },
  CONNECTOR_PROXY_CALLBACK_TTL_MS: {
    default: String(DEFAULT_CALLBACK_TTL_MS),
    description: 'how long delivery of a result is retried before the job is undeliverable, in ms',
  },
  CONNECTOR_PROXY_CALLBACK_RETRY_BASE_MS: {
    default: String(DEFAULT_RETRY.baseMs),
    description: 'the first callback retry waits about this long, each next one twice as long, in ms',
  },
  CONNECTOR_PROXY_CALLBACK_RETRY_MAX_MS: {
    default: String(DEFAULT_RETRY.maxMs),
    description: 'the longest wait between callback retries, in ms',
  },
  CONNECTOR_PROXY_ASYNC_AFTER_MS: {
    description: `below ${ASYNC_AFTER_LIMIT_MS}: a command still running after this many ms (with a callback URL) answers 202`,
  },
  CONNECTOR_PROXY_JOBS: {
    default: 'file',
    description: 'where jobs live: file (a journal in CONNECTOR_PROXY_DATA_DIR) or a redis:// URL',
  },
  CONNECTOR_PROXY_DATA_DIR: { default: DEFAULT_DATA_DIR, description: "the job journal's folder" },
  CONNECTOR_PROXY_JOBS_PREFIX: { default: 'connector-proxy', description: 'Redis key prefix of the jobs' },
  CONNECTOR_PROXY_JOBS_LEASE_MS: {
    default: '30000',
    description: 'Redis: a job whose instance stops renewing its lease this long is taken over, in ms',
  },
  CONNECTOR_PROXY_WORKERS: {
    default: '1',
    description: 'processes serving one port: a number, or auto for one per available core',
  },
  CONNECTOR_PROXY_JOBS_CONCURRENCY: {
    default: String(DEFAULT_CONCURRENCY),
    description: 'jobs one instance runs and delivers at once',
  },
} as const satisfies Record<string, EnvDeclaration>;

/** The name of a variable the proxy itself reads. */
export type ServerVariable = keyof typeof SERVER_ENV;

/** Reads the proxy's configuration from environment variables; the only reader of the environment. */
export function readConfig(env: Env): Config {
  const apiKey = read(env, 'CONNECTOR_PROXY_API_KEY');
  if (apiKey !== undefined && apiKey.trim() === '') {
    throw new ConfigError(
      'CONNECTOR_PROXY_API_KEY is set but empty: set a key, or unset the variable to leave the API open',
    );
  }
  const commandTimeoutMs = integer(env, 'CONNECTOR_PROXY_COMMAND_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1, 3_600_000);
  const requestTimeoutMs = commandTimeoutMs + REQUEST_TIMEOUT_MARGIN_MS;
  return {
    host: text(env, 'CONNECTOR_PROXY_HOST') ?? DEFAULT_HOST,
    port: integer(env, 'CONNECTOR_PROXY_PORT', DEFAULT_PORT, 0, 65_535),
    apiKey,
    corsOrigins: corsOrigins(env, apiKey !== undefined),
    connectors: list(env, 'CONNECTOR_PROXY_CONNECTORS'),
    bodyLimitBytes: integer(env, 'CONNECTOR_PROXY_BODY_LIMIT_BYTES', DEFAULT_BODY_LIMIT_BYTES, 1, 2 ** 30),
    commandTimeoutMs,
    headersTimeoutMs: Math.min(HEADERS_TIMEOUT_MS, requestTimeoutMs),
    requestTimeoutMs,
    keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
    shutdownGraceMs: integer(env, 'CONNECTOR_PROXY_SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 3_600_000),
    logFormat: oneOf(env, 'CONNECTOR_PROXY_LOG_FORMAT', ['json', 'text', 'off'], 'text'),
    metrics: oneOf(env, 'CONNECTOR_PROXY_METRICS', ['true', 'false'], 'false') === 'true',
    connectorEnv: readConnectorEnv(env),
    egress: readEgress(env),
    jobs: readJobsConfig(env),
    workers: readWorkers(env),
  };
}

/** `CONNECTOR_PROXY_WORKERS`: a number, or `auto` for one per available core. */
function readWorkers(env: Env): number {
  if (text(env, 'CONNECTOR_PROXY_WORKERS') === 'auto') return availableParallelism();
  return integer(env, 'CONNECTOR_PROXY_WORKERS', 1, 1, 256);
}

function readEgress(env: Env): Config['egress'] {
  const egress = {
    preset: oneOf(env, 'CONNECTOR_PROXY_EGRESS', ['open', 'default', 'public'], 'default'),
    allow: list(env, 'CONNECTOR_PROXY_EGRESS_ALLOW'),
    deny: list(env, 'CONNECTOR_PROXY_EGRESS_DENY'),
  };
  try {
    createEgressPolicy(egress);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
  return egress;
}

const CALLBACK_VARIABLES = ['CONNECTOR_PROXY_CALLBACK_API_KEY', 'CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN'] as const;

/** Callbacks need both an origin list and one credential; half of that stops startup. */
function readJobsConfig(env: Env): JobsConfig | undefined {
  for (const name of [...CALLBACK_VARIABLES, 'CONNECTOR_PROXY_CALLBACK_ORIGINS'] as const) {
    const value = read(env, name);
    if (value !== undefined && value.trim() === '') {
      throw new ConfigError(`${name} is set but empty: set a value, or unset it`);
    }
  }
  const origins = list(env, 'CONNECTOR_PROXY_CALLBACK_ORIGINS');
  const given = CALLBACK_VARIABLES.filter((name) => read(env, name) !== undefined);
  if (given.length === 2) {
    throw new ConfigError(
      'CONNECTOR_PROXY_CALLBACK_API_KEY and CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN are both set: set only one',
    );
  }
  if (origins.length === 0 && given.length === 0) {
    for (const name of ['CONNECTOR_PROXY_ASYNC_AFTER_MS', 'CONNECTOR_PROXY_JOBS'] as const) {
      if (text(env, name) !== undefined) {
        throw new ConfigError(
          `${name} needs callbacks: set CONNECTOR_PROXY_CALLBACK_ORIGINS and CONNECTOR_PROXY_CALLBACK_API_KEY (or _BEARER_TOKEN)`,
        );
      }
    }
    return undefined;
  }
  if (origins.length === 0) {
    throw new ConfigError(
      `${given[0]} is set but CONNECTOR_PROXY_CALLBACK_ORIGINS is not: list the origins callbacks may go to, e.g. https://arena.example.com`,
    );
  }
  if (given.length === 0) {
    throw new ConfigError(
      'CONNECTOR_PROXY_CALLBACK_ORIGINS is set but no credential: set CONNECTOR_PROXY_CALLBACK_API_KEY (a service account key) or CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN',
    );
  }
  const callbackOrigins = origins.map((origin) => {
    try {
      return toOrigin(origin);
    } catch (error) {
      throw new ConfigError(`CONNECTOR_PROXY_CALLBACK_ORIGINS: ${error instanceof Error ? error.message : error}`);
    }
  });
  const apiKey = read(env, 'CONNECTOR_PROXY_CALLBACK_API_KEY');
  const credential: CallbackCredential =
    apiKey !== undefined
      ? { kind: 'api-key', value: apiKey.trim() }
      : { kind: 'bearer', value: (read(env, 'CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN') ?? '').trim() };
  const asyncAfter = text(env, 'CONNECTOR_PROXY_ASYNC_AFTER_MS');
  const retryBaseMs = integer(env, 'CONNECTOR_PROXY_CALLBACK_RETRY_BASE_MS', DEFAULT_RETRY.baseMs, 1, 3_600_000);
  return {
    callbackOrigins,
    credential,
    callbackTtlMs: integer(env, 'CONNECTOR_PROXY_CALLBACK_TTL_MS', DEFAULT_CALLBACK_TTL_MS, 1, 30 * 86_400_000),
    retryBaseMs,
    retryMaxMs: integer(
      env,
      'CONNECTOR_PROXY_CALLBACK_RETRY_MAX_MS',
      Math.max(DEFAULT_RETRY.maxMs, retryBaseMs),
      retryBaseMs,
      86_400_000,
    ),
    asyncAfterMs:
      asyncAfter === undefined
        ? undefined
        : integer(env, 'CONNECTOR_PROXY_ASYNC_AFTER_MS', 0, 1, ASYNC_AFTER_LIMIT_MS - 1),
    store: readJobStore(env),
    leaseMs: integer(env, 'CONNECTOR_PROXY_JOBS_LEASE_MS', 30_000, 500, 3_600_000),
    concurrency: integer(env, 'CONNECTOR_PROXY_JOBS_CONCURRENCY', DEFAULT_CONCURRENCY, 1, 10_000),
  };
}

function readJobStore(env: Env): JobStoreConfig {
  const value = text(env, 'CONNECTOR_PROXY_JOBS') ?? 'file';
  if (value === 'file') return { kind: 'file', dir: text(env, 'CONNECTOR_PROXY_DATA_DIR') ?? DEFAULT_DATA_DIR };
  if (/^rediss?:\/\/./.test(value)) {
    const prefix = text(env, 'CONNECTOR_PROXY_JOBS_PREFIX') ?? 'connector-proxy';
    if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) {
      throw new ConfigError(
        `CONNECTOR_PROXY_JOBS_PREFIX may hold letters, digits, "_", "." and "-" only, got ${JSON.stringify(prefix)}`,
      );
    }
    return { kind: 'redis', url: value, prefix };
  }
  // The value is not echoed: a mistyped Redis URL may hold a password.
  throw new ConfigError('CONNECTOR_PROXY_JOBS must be "file" or a redis:// (or rediss://) URL');
}

function readConnectorEnv(env: Env): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && name.startsWith('CONNECTOR_') && !name.startsWith('CONNECTOR_PROXY_')) {
      values[name] = value;
    }
  }
  return values;
}

function read(env: Env, name: ServerVariable): string | undefined {
  return env[name];
}

function text(env: Env, name: ServerVariable): string | undefined {
  const value = read(env, name)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function list(env: Env, name: ServerVariable): string[] {
  return (read(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function integer(env: Env, name: ServerVariable, fallback: number, min: number, max: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

function oneOf<const V extends string>(env: Env, name: ServerVariable, values: readonly V[], fallback: V): V {
  const value = text(env, name);
  if (value === undefined) return fallback;
  const found = values.find((v) => v === value);
  if (found === undefined) {
    throw new ConfigError(`${name} must be one of ${values.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return found;
}

const CORS_VARIABLE: ServerVariable = 'CONNECTOR_PROXY_CORS_ORIGINS';

/**
 * Reads the allowed CORS origins. Each must be what a browser sends in `Origin`: http(s), a host,
 * an optional port, no path (not even `/`), no user or query; anything else would never match and
 * would fail silently, so it stops startup. Hosts are compared as browsers write them (lower case,
 * no default port). `*` (alone) lets any page call the API and read its answers. That leaks nothing
 * while an API key is required: the key travels in a header that a browser never adds by itself, so
 * a page must already know it. Without a key, though, any web page a user opens could run commands
 * through that user's browser, from inside their network, and read the answers (an intranet page
 * fetched by http/GetRequestV2, say); so `*` needs `CONNECTOR_PROXY_API_KEY`.
 */
function corsOrigins(env: Env, hasApiKey: boolean): string[] {
  const entries = list(env, CORS_VARIABLE);
  if (entries.includes('*')) {
    if (entries.length > 1) throw new ConfigError(`${CORS_VARIABLE}: "*" allows every origin, so it must be alone`);
    if (!hasApiKey) {
      throw new ConfigError(
        `${CORS_VARIABLE}="*" needs CONNECTOR_PROXY_API_KEY: without a key any web page could run commands through its visitors' browsers`,
      );
    }
    return ['*'];
  }
  return [...new Set(entries.map(toCorsOrigin))];
}

/** http(s), then a host and an optional port, and nothing after: no path, query, fragment or user. */
const ORIGIN_FORM = /^https?:\/\/[^/?#\\@\s]+$/i;

function toCorsOrigin(entry: string): string {
  const origin = ORIGIN_FORM.test(entry) ? originOf(entry) : undefined;
  if (origin !== undefined) return origin;
  const near = originOf(entry);
  const hint = near === undefined || !/^https?:/.test(near) ? '' : `, e.g. ${JSON.stringify(near)}`;
  throw new ConfigError(
    `${CORS_VARIABLE}: ${JSON.stringify(entry)} is not an origin: write scheme://host[:port] with http or https and no path${hint}`,
  );
}

function originOf(text: string): string | undefined {
  try {
    return new URL(text).origin;
  } catch {
    return undefined;
  }
}
