import type { AddressInfo } from 'node:net';
import type { Registry } from '@connector-proxy/core';
import { serve } from '@hono/node-server';
import { createApp, type RequestLogEntry } from './app.js';
import type { Config } from './config.js';
import { createEgressGuard } from './egress/hook.js';
import { createEgressPolicy } from './egress/policy.js';

/** A running proxy. */
export interface RunningServer {
  url: string;
  port: number;
  /** Stops accepting connections, lets requests in flight finish (up to the grace period), then resolves. */
  close(): Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  /** Where lines of the request log and lifecycle messages go. */
  write?: (line: string) => void;
}

/** Starts the proxy on the configured host and port. */
export async function startServer(
  config: Config,
  registry: Registry | (() => Registry),
  options: StartOptions = {},
): Promise<RunningServer> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const shutdown = new AbortController();
  const format = config.logFormat;
  const app = createApp(registry, {
    apiKey: config.apiKey,
    corsOrigins: config.corsOrigins,
    bodyLimitBytes: config.bodyLimitBytes,
    commandTimeoutMs: config.commandTimeoutMs,
    signal: shutdown.signal,
    metrics: config.metrics,
    ...(config.egress.preset === 'open' && config.egress.deny.length === 0
      ? {}
      : { egress: createEgressGuard(createEgressPolicy(config.egress)) }),
    ...(format === 'off' ? {} : { log: (entry) => write(formatLogEntry(entry, format)) }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          // Past the grace period: abort commands still running (ProxyShuttingDown), then drop their connections.
          shutdown.abort(new Error('the proxy is shutting down'));
          setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), 1_000);
        }, config.shutdownGraceMs);
        server.close(() => {
          clearTimeout(force);
          // Every request is over: the connectors' pools and clients can go.
          const current = typeof registry === 'function' ? registry() : registry;
          current.close().then(resolve, (error: unknown) => {
            write(`connector-proxy: ${error instanceof Error ? error.message : String(error)}`);
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
  if (format === 'json') return JSON.stringify({ time: new Date().toISOString(), ...entry });
  const suffix = entry.errorCode ? ` ${entry.errorCode}` : '';
  return `${entry.method} ${entry.path} ${entry.status} ${entry.ms}ms${suffix}`;
}
