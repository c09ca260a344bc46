import {
  API_KEY_HEADER,
  DEFAULT_TIMEOUT_MS,
  type Failure,
  type Invocation,
  LIVENESS_BODY,
  type Registry,
  statusOf,
  toOpenApi,
} from '@connector-proxy/core';
import type { JobRunner } from '@connector-proxy/jobs';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import { requireApiKey } from './api-key.js';
import { commandTimeoutFor, headerOf } from './bindings.js';
import { readBodyText } from './body.js';
import { CLIENT_CLOSED_REQUEST, clientStatus } from './client-status.js';
import { DEFAULT_BODY_LIMIT_BYTES } from './config.js';
import { crashAnswer, createDoRoute, type DoOutcome, type DoRoute, toAnswer, unreadableBody } from './do-route.js';
import { renderHome } from './home.js';
import { mountJobRoutes, sendWire } from './jobs-routes.js';
import { createMetrics } from './metrics.js';
import { PLAYGROUND_PATHS, servePlayground } from './playground/routes.js';
import { logRequests, noteRequest, type RequestLogEntry } from './request-log.js';

export type { RequestLogEntry } from './request-log.js';

/** Options of {@link createApp}; see `Config` for what each means. */
export interface AppOptions {
  apiKey?: string | undefined;
  corsOrigins?: readonly string[];
  bodyLimitBytes?: number;
  commandTimeoutMs?: number;
  /** Aborts commands in flight (at shutdown, after the grace period). */
  signal?: AbortSignal;
  /** Receives one entry per request. */
  log?: (entry: RequestLogEntry) => void;
  /** Serves Prometheus metrics at `GET /metrics` (behind the API key when one is set). */
  metrics?: boolean;
  /** Runs long-running commands in the background and delivers their results (jobs-routes.ts). */
  jobs?: JobRunner;
}

/**
 * What the Node server needs to answer the protocol's two busiest requests without Hono
 * (direct.ts): the same route logic, listing bytes and log as the app's own routes.
 */
export interface DirectRoutes {
  route: DoRoute;
  /** The listing's bytes for the current registry. */
  listing: () => Uint8Array<ArrayBuffer>;
  log: ((entry: RequestLogEntry) => void) | undefined;
  apiKey: string | undefined;
  /** With CORS every answer needs its headers: the app's own routes answer everything. */
  cors: boolean;
  limit: number;
  commandTimeoutMs: number;
}

const DIRECT = Symbol('connector-proxy.direct-routes');

/** The direct routes of an app made by {@link createApp}. */
export function directRoutesOf(app: Hono): DirectRoutes | undefined {
  return (app as Hono & { [DIRECT]?: DirectRoutes })[DIRECT];
}

/** The outer HTTP status for an invocation's outcome (decided in core). */
export function statusFor(failure: Failure | null): number {
  return statusOf(failure);
}

interface Prepared {
  /** Encoded once: Node writes a large string body at several times the cost of the same bytes. */
  listing: Uint8Array<ArrayBuffer>;
  detailedListing: Uint8Array<ArrayBuffer>;
  home: string;
  openapi: string;
}

const encoder = new TextEncoder();

/**
 * Builds the proxy's HTTP app. `registry` may be a function so a development server can swap in
 * reloaded connectors; the listing and home page are serialized once per registry, not per request.
 */
export function createApp(registry: Registry | (() => Registry), options: AppOptions = {}): Hono {
  const current = typeof registry === 'function' ? registry : () => registry;
  const prepared = new WeakMap<Registry, Prepared>();
  const prepare = (r: Registry): Prepared => {
    let p = prepared.get(r);
    if (!p) {
      p = {
        listing: encoder.encode(JSON.stringify(r.list())),
        detailedListing: encoder.encode(JSON.stringify(r.list({ detailed: true }))),
        home: renderHome(r, { listCommands: options.apiKey === undefined }),
        openapi: JSON.stringify(toOpenApi(r, { apiKey: options.apiKey !== undefined })),
      };
      prepared.set(r, p);
    }
    return p;
  };
  prepare(current());
  const metrics = options.metrics ? createMetrics() : undefined;
  const log =
    metrics || options.log
      ? (entry: RequestLogEntry) => {
          metrics?.record(entry);
          options.log?.(entry);
        }
      : undefined;
  const app = new Hono();

  if (log) logRequests(app, log);

  if (options.corsOrigins && options.corsOrigins.length > 0) {
    app.use(
      '/v1/*',
      cors({
        origin: options.corsOrigins.includes('*') ? '*' : [...options.corsOrigins],
        allowHeaders: ['Content-Type', API_KEY_HEADER],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
      }),
    );
  }
  if (options.apiKey !== undefined) {
    const guard = requireApiKey(options.apiKey);
    app.use('/v1/commands', guard);
    app.use('/v1/auths', guard);
    app.use('/v1/openapi.json', guard);
    app.use('/v1/do/*', guard);
    app.use('/metrics', guard);
  }
  if (metrics) {
    app.get('/metrics', (c) =>
      c.body(metrics.render() + (options.jobs?.metrics() ?? ''), 200, { 'Content-Type': 'text/plain; version=0.0.4' }),
    );
  }
  mountJobRoutes(app, options.jobs, options.apiKey === undefined ? undefined : requireApiKey(options.apiKey));

  app.get('/', (c) => c.html(prepare(current()).home));
  servePlayground(app);
  app.get('/liveness', (c) => c.json(LIVENESS_BODY));
  app.get('/v1/liveness', (c) => c.json(LIVENESS_BODY));
  app.get('/v1/commands', (c) => {
    const p = prepare(current());
    return json(c, isTruthy(c.req.query('detailed')) ? p.detailedListing : p.listing);
  });
  app.get('/v1/auths', (c) => json(c, '[]'));
  app.get('/v1/openapi.json', (c) => json(c, prepare(current()).openapi));

  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const route = createDoRoute({
    registry: current,
    limit,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
  });
  Object.assign(app, {
    [DIRECT]: {
      route,
      listing: () => prepare(current()).listing,
      log,
      apiKey: options.apiKey,
      cors: (options.corsOrigins?.length ?? 0) > 0,
      limit,
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    } satisfies DirectRoutes,
  });
  const send = (c: Context, outcome: DoOutcome): Response => {
    noteRequest(c, 'command', outcome.command);
    if (outcome.kind === 'unreadable') return unreadable(c, outcome.error);
    if (outcome.kind === 'wire') return sendWire(c, outcome.wire);
    // The rest of a body over the limit is never read, so the connection cannot carry another request.
    if (outcome.close) c.header('Connection', 'close');
    return answer(c, outcome.invocation);
  };
  app.on(
    ['GET', 'POST'],
    '/v1/do/:connector/:command',
    limitBody(
      limit,
      (c) => {
        c.header('Connection', 'close');
        return answer(c, route.tooLarge);
      },
      async (c) =>
        send(
          c,
          await route.run({
            connector: c.req.param('connector') ?? '',
            name: c.req.param('command') ?? '',
            method: c.req.method,
            contentType: headerOf(c, 'content-type'),
            readText: () => readBodyText(c, limit),
            queries: () => c.req.queries(),
            timeoutMs: commandTimeoutFor(c, options.commandTimeoutMs),
          }),
        ),
    ),
  );

  // A known path asked with another method is a 405 with Allow, as Flask answers, not a 404.
  const allowed: [string, string][] = [
    ['/', 'GET, HEAD'],
    ['/liveness', 'GET, HEAD'],
    ['/v1/liveness', 'GET, HEAD'],
    ['/v1/commands', 'GET, HEAD'],
    ['/v1/auths', 'GET, HEAD'],
    ['/v1/openapi.json', 'GET, HEAD'],
    ['/v1/do/:connector/:command', 'GET, POST'],
    ...PLAYGROUND_PATHS.map((path): [string, string] => [path, 'GET, HEAD']),
  ];
  for (const [path, allow] of allowed) {
    app.all(path, (c) => {
      c.header('Allow', allow);
      if (c.req.method === 'OPTIONS') return c.body(null, 204);
      return c.json({ error: 'Method Not Allowed', allow }, 405);
    });
  }
  app.notFound((c) => c.json({ error: 'Not Found', path: c.req.path }, 404));
  app.onError((error, c) => {
    // Only a bug in the proxy reaches here.
    const { wire, errorCode } = crashAnswer(error);
    noteRequest(c, 'errorCode', errorCode);
    return c.body(wire.body, 500, wire.headers);
  });
  return app;
}

/**
 * Refuses bodies over the limit, around the route's handler rather than as a middleware before it,
 * so a request runs one handler and Hono skips its middleware chain. A declared Content-Length is
 * checked without touching the body: Hono's bodyLimit reads `c.req.raw.body`, which makes the Node
 * adapter build a full web Request for every POST (a third of the proxy's time in the bench).
 * Chunked bodies are counted by bodyLimit as they stream in.
 */
function limitBody(
  limit: number,
  onError: (c: Context) => Response,
  handler: (c: Context) => Promise<Response>,
): (c: Context) => Response | Promise<Response> {
  const streamed = bodyLimit({ maxSize: limit, onError });
  const readChunked = async (c: Context): Promise<Response> => {
    // bodyLimit reads a chunked body before the handler runs: a failure while reading is the client's.
    let reading = true;
    try {
      const refused = await streamed(c, async () => {
        reading = false;
        c.res = await handler(c);
      });
      return refused ?? c.res;
    } catch (error) {
      if (!reading) throw error;
      return unreadable(c, error);
    }
  };
  return (c) => {
    const length = headerOf(c, 'content-length');
    if (length !== undefined && headerOf(c, 'transfer-encoding') === undefined) {
      return Number(length) > limit ? onError(c) : handler(c);
    }
    return readChunked(c);
  };
}

/**
 * Answers a request whose body could not be read. Over Node the connection is gone by then (a
 * malformed chunked body, a client that hung up or sent too slowly), so nobody reads this answer:
 * it exists for the log and metrics, which take the status the client really got. Where the
 * connection is still there, the client is told in the envelope.
 */
function unreadable(c: Context, error: unknown): Response {
  const status = clientStatus(c);
  if (status === CLIENT_CLOSED_REQUEST || status === 408) return c.body(null, status as StatusCode);
  return answer(c, unreadableBody(error));
}

/** Sends an invocation as core's wire function renders it, noting its error code for the log. */
function answer(c: Context, invocation: Invocation): Response {
  const { wire, errorCode } = toAnswer(invocation);
  if (errorCode) noteRequest(c, 'errorCode', errorCode);
  // Through the context, so headers set earlier (Connection: close, CORS) are kept.
  if (wire.body === null) return c.body(null, wire.status as StatusCode, wire.headers);
  return c.body(wire.body, wire.status as ContentfulStatusCode, wire.headers);
}

const JSON_CONTENT_TYPE = { 'Content-Type': 'application/json' } as const;

function json(c: Context, body: string | Uint8Array<ArrayBuffer>): Response {
  return c.body(body, 200, JSON_CONTENT_TYPE);
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && value !== '0' && value.toLowerCase() !== 'false';
}
