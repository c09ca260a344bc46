import { DEFAULT_TIMEOUT_MS } from '@connector-proxy/core';
import { createEgressPolicy } from './egress/policy.js';

/** The proxy's settings; built only by {@link readConfig}, everything else takes it as an argument. */
export interface Config {
  host: string;
  port: number;
  /** `undefined`: the API is open. Never logged. */
  apiKey: string | undefined;
  /** Origins allowed to call `/v1/*` from a browser; empty means no CORS headers. */
  corsOrigins: string[];
  /** Extra connectors to load: package names or paths (`CONNECTOR_PROXY_CONNECTORS`). */
  connectors: string[];
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Deadline of every command; the backend gives up after 45 s. */
  commandTimeoutMs: number;
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
}

/** A bad environment value; the message is one line that names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7004;
export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
export const DEFAULT_SHUTDOWN_GRACE_MS = 50_000;

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
  CONNECTOR_PROXY_CORS_ORIGINS: { description: 'comma-separated origins allowed to call /v1/* from a browser' },
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
  return {
    host: text(env, 'CONNECTOR_PROXY_HOST') ?? DEFAULT_HOST,
    port: integer(env, 'CONNECTOR_PROXY_PORT', DEFAULT_PORT, 0, 65_535),
    apiKey,
    corsOrigins: list(env, 'CONNECTOR_PROXY_CORS_ORIGINS'),
    connectors: list(env, 'CONNECTOR_PROXY_CONNECTORS'),
    bodyLimitBytes: integer(env, 'CONNECTOR_PROXY_BODY_LIMIT_BYTES', DEFAULT_BODY_LIMIT_BYTES, 1, 2 ** 30),
    commandTimeoutMs: integer(env, 'CONNECTOR_PROXY_COMMAND_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1, 3_600_000),
    shutdownGraceMs: integer(env, 'CONNECTOR_PROXY_SHUTDOWN_GRACE_MS', DEFAULT_SHUTDOWN_GRACE_MS, 0, 3_600_000),
    logFormat: oneOf(env, 'CONNECTOR_PROXY_LOG_FORMAT', ['json', 'text', 'off'], 'text'),
    metrics: oneOf(env, 'CONNECTOR_PROXY_METRICS', ['true', 'false'], 'false') === 'true',
    connectorEnv: readConnectorEnv(env),
    egress: readEgress(env),
  };
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
