import { setMaxListeners } from 'node:events';
import { createServer, type RequestListener, type ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from '@connector-proxy/core';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { answerClientError } from './client-status.js';
import type { Config } from './config.js';
import { withDirectRoutes } from './direct.js';
import { createEgressFor } from './egress/hook.js';
import { startJobs } from './jobs-start.js';
import { createLogWriter } from './log-writer.js';
import { escapeLogField, jsonLogField, type RequestLogEntry } from './request-log.js';

/** A running proxy. */
export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets requests in flight finish (up to the grace period), then resolves. */
  close(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  /**
   * Where lines of the request log and lifecycle messages go. By default a buffered writer on
   * stdout, flushed at close and at exit; a function given here is called once per line.
   */
  write?: (line: string) => void;
}

/** Starts the proxy on the configured host and port. */
export async function startServer(
  config: Config,
  registry: Registry | (() => Registry),
  options: StartOptions = {},
): Promise<RunningServer> {
  const format = config.logFormat;
  const writer = options.write || format === 'off' ? undefined : createLogWriter();
  const write = options.write ?? ((line: string) => (writer ? writer.write(line) : process.stdout.write(`${line}\n`)));
  const shutdown = new AbortController();
  // Every command in flight listens to it, so more than 10 at once is normal, not a leak.
  setMaxListeners(0, shutdown.signal);
  const currentRegistry = typeof registry === 'function' ? registry : () => registry;
  const log = format === 'off' ? undefined : (entry: RequestLogEntry) => write(formatLogEntry(entry, format));
  const egress = createEgressFor(config);
  // Before listening: jobs a crash left behind are picked up, and a bad job store stops startup.
  const jobs = config.jobs
    ? await startJobs(config.jobs, currentRegistry, (line) => write(`connector-proxy: ${line}`), egress)
    : undefined;
  const app = createApp(registry, {
    apiKey: config.apiKey,
    corsOrigins: config.corsOrigins,
    bodyLimitBytes: config.bodyLimitBytes,
    commandTimeoutMs: config.commandTimeoutMs,
    signal: shutdown.signal,
    metrics: config.metrics,
    ...(jobs ? { jobs } : {}),
    ...(log ? { log } : {}),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        hostname: config.host,
        port: config.port,
        // The protocol's two busiest requests go straight from node:http to the app's route logic (direct.ts).
        createServer: ((options: ServerOptions, listener: RequestListener) =>
          createServer(options, withDirectRoutes(app, listener))) as typeof createServer,
        serverOptions: {
          headersTimeout: config.headersTimeoutMs,
          requestTimeout: config.requestTimeoutMs,
          keepAliveTimeout: config.keepAliveTimeoutMs,
          // How often Node looks for requests past their timeouts (its default is every 30 s).
          connectionsCheckingInterval: Math.min(1_000, config.headersTimeoutMs),
        },
      },
      () => resolve(s),
    );
    s.once('error', reject);
  }).catch(async (error: unknown) => {
    await jobs?.close();
    writer?.close();
    throw error;
  });
  server.on('clientError', (error: Error & { code?: unknown }, socket) => {
    // A request refused before the app saw it (headers too large, a malformed request line) is logged here.
    const refused = answerClientError(error, socket);
    if (refused && log) log({ ...refused, ms: 0 });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Jobs stop taking work now; those running get the grace period, then wait for recovery.
        const jobsClosed = jobs?.close(config.shutdownGraceMs).catch((error: unknown) => {
          write(`connector-proxy: ${error instanceof Error ? error.message : String(error)}`);
        });
        const force = setTimeout(() => {
          // Past the grace period: abort commands still running (ProxyShuttingDown), then drop their connections.
          shutdown.abort(new Error('the proxy is shutting down'));
          setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), 1_000);
        }, config.shutdownGraceMs);
        server.close(() => {
          clearTimeout(force);
          // Every request and job is over: the connectors' pools and clients can go.
          Promise.resolve(jobsClosed)
            .then(() => currentRegistry().close())
            .catch((error: unknown) => {
              write(`connector-proxy: ${error instanceof Error ? error.message : String(error)}`);
            })
            .then(() => {
              writer?.close();
              resolve();
            });
        });
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** Formats one request log entry as a JSON line or a short human line. */
export function formatLogEntry(entry: RequestLogEntry, format: 'json' | 'text'): string {
  if (format === 'json') {
    // By hand, as JSON.stringify({ time, ...entry }) writes it (same keys, same order), with the
    // invisible characters escaped; a field of plain ASCII (the usual) is written as it is.
    let line = `{"time":"${isoNow()}","method":${jsonLogField(entry.method)},"path":${jsonLogField(entry.path)},"status":${entry.status},"ms":${entry.ms}`;
    if (entry.command !== undefined) line += `,"command":${jsonLogField(entry.command)}`;
    if (entry.errorCode !== undefined) line += `,"errorCode":${jsonLogField(entry.errorCode)}`;
    return `${line}}`;
  }
  const suffix = entry.errorCode ? ` ${escapeLogField(entry.errorCode)}` : '';
  return `${escapeLogField(entry.method)} ${escapeLogField(entry.path)} ${entry.status} ${entry.ms}ms${suffix}`;
}

let lastMs = 0;
let lastIso = '';
let secondStart = Number.NaN;
let secondPrefix = '';

/**
 * The current time as ISO 8601 (what `new Date().toISOString()` writes). Date's own formatting
 * costs about a microsecond, more than the rest of a line: it runs once a second, for the part up
 * to the milliseconds, and once a millisecond the milliseconds are appended.
 */
function isoNow(): string {
  const now = Date.now();
  if (now === lastMs) return lastIso;
  const ms = now % 1000;
  if (now - ms !== secondStart) {
    secondStart = now - ms;
    const iso = new Date(secondStart).toISOString();
    secondPrefix = iso.slice(0, iso.lastIndexOf('.') + 1);
  }
  lastMs = now;
  lastIso = `${secondPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`;
  return lastIso;
}
