import cluster from 'node:cluster';
import type { Config } from '@connector-proxy/server';
import { runCluster, startServer } from '@connector-proxy/server/node';
import { describeLoaded, loadForIo } from '../connectors.js';
import { environmentHelp } from '../env-help.js';
import type { Io } from '../io.js';
import { readListenArgs } from '../listen.js';

export const SERVE_HELP = `Usage: connector-proxy serve [--host HOST] [--port PORT]

Serves every discovered connector over HTTP (the SpiffArena connector proxy protocol).

Options:
  --host HOST   address to listen on (default CONNECTOR_PROXY_HOST or 127.0.0.1)
  --port PORT   port to listen on (default CONNECTOR_PROXY_PORT or 7004; 0 picks a free one)
  -h, --help    show this help

Connectors: ./connectors/*, the connector-* and @scope/connector-* dependencies in
./package.json, CONNECTOR_PROXY_CONNECTORS (package names or paths, comma-separated), and the
current folder when it is a connector package.
`;

/** `connector-proxy serve`: loads connectors once, serves until SIGINT/SIGTERM, then drains. */
export async function serveVerb(args: string[], io: Io): Promise<number> {
  const { help, config } = readListenArgs(args, io);
  if (help || !config) {
    io.stdout(`${SERVE_HELP}${await environmentHelp(io)}\n`);
    return 0;
  }
  if (config.workers > 1 && cluster.isPrimary) {
    return runCluster({
      workers: config.workers,
      stopped: io.stopped,
      shutdownGraceMs: config.shutdownGraceMs,
      write: (line) => io.stdout(`${line}\n`),
    });
  }
  try {
    return await serveOne(config, io);
  } finally {
    // A worker's channel to the primary would keep it alive once it has nothing left to serve.
    if (cluster.isWorker) cluster.worker?.disconnect();
  }
}

async function serveOne(config: Config, io: Io): Promise<number> {
  const loaded = await loadForIo(io, config);
  // On the real stdout, the server's own buffered writer; elsewhere (tests) every line through io.
  const write = io.stdoutFd === undefined ? (line: string) => io.stdout(`${line}\n`) : undefined;
  const server = await startServer(config, loaded.registry, write ? { write } : {});
  io.stdout(`connector-proxy: ${describeLoaded(loaded)}\n`);
  io.stdout(`connector-proxy: listening on ${server.url}${config.apiKey ? ' (API key required)' : ''}\n`);
  await io.stopped;
  io.stdout('connector-proxy: shutting down, finishing requests in flight\n');
  await server.close();
  return 0;
}
