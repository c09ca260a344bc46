import type { Registry } from '@connector-proxy/core';
import { startServer } from '@connector-proxy/server/node';
import { describeLoaded, loadForIo } from '../connectors.js';
import { environmentHelp } from '../env-help.js';
import type { Io } from '../io.js';
import { readListenArgs } from '../listen.js';
import { createSourceWatcher } from '../watch.js';

export const DEV_HELP = `Usage: connector-proxy dev [--host HOST] [--port PORT]

Serves like "serve", from the connectors' TypeScript sources, and reloads a connector when one
of its files changes. Requests in flight finish with the code they started with; a reload that
fails (a syntax error, a broken connector) is reported and the previous code keeps serving.

Options:
  --host HOST   address to listen on (default CONNECTOR_PROXY_HOST or 127.0.0.1)
  --port PORT   port to listen on (default CONNECTOR_PROXY_PORT or 7004; 0 picks a free one)
  -h, --help    show this help
`;

/** Closes a swapped-out registry's services after a short delay, reporting a failure on stderr. */
async function closeWhenIdle(registry: Registry | undefined, io: Io): Promise<void> {
  if (!registry) return;
  await new Promise((resolve) => setTimeout(resolve, RELOAD_CLOSE_DELAY_MS));
  try {
    await registry.close();
  } catch (error) {
    io.stderr(`connector-proxy: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}

/** How long a swapped-out registry lives on for requests that started before the reload. */
export const RELOAD_CLOSE_DELAY_MS = 1_000;

/** `connector-proxy dev`: serve, watch the loaded files, swap in a new registry after each good reload. */
export async function devVerb(args: string[], io: Io): Promise<number> {
  const { help, config } = readListenArgs(args, io);
  if (help || !config) {
    io.stdout(`${DEV_HELP}${await environmentHelp(io)}\n`);
    return 0;
  }
  let current: Registry | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let missed: string | undefined;
  const watcher = createSourceWatcher({ onChange: (file) => void reload(file) });

  const load = async () => {
    const imported: string[] = [];
    try {
      const loaded = await loadForIo(io, config, {
        development: true,
        fresh: true,
        onImport: (url) => imported.push(url),
      });
      watcher.add(loaded.sources.flatMap((s) => (s.dir ? [s.dir] : [])));
      return loaded;
    } finally {
      // Also after a failure, so saving the file that broke the load triggers the next reload.
      watcher.add(imported);
    }
  };

  /** One reload at a time; changes that arrive meanwhile cause one more. */
  async function reload(file: string): Promise<void> {
    if (current === undefined) {
      missed = file;
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        io.stdout(`connector-proxy: ${file} changed, reloading\n`);
        try {
          const next = await load();
          const previous = current;
          current = next.registry;
          // Requests already running keep the previous registry's commands; its services go once they
          // are done (closing at once would cut a pool under a query in flight).
          void closeWhenIdle(previous, io);
          io.stdout(`connector-proxy: reloaded, ${describeLoaded(next)}\n`);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          io.stderr(`connector-proxy: reload failed, still serving the previous code: ${message}\n`);
        }
      } while (again);
    })();
    await running;
    running = undefined;
  }

  try {
    const first = await load();
    const registry = first.registry;
    current = registry;
    // Requests look the registry up when they arrive, so a swap never touches one in flight.
    const server = await startServer(config, () => current ?? registry, { write: (line) => io.stdout(`${line}\n`) });
    io.stdout(`connector-proxy: ${describeLoaded(first)}\n`);
    io.stdout(`connector-proxy: listening on ${server.url}${config.apiKey ? ' (API key required)' : ''}\n`);
    io.stdout('connector-proxy: watching connector sources; save a file to reload\n');
    if (missed !== undefined) void reload(missed);

    await io.stopped;
    watcher.close();
    io.stdout('connector-proxy: shutting down, finishing requests in flight\n');
    await running;
    await server.close();
    return 0;
  } finally {
    watcher.close();
  }
}
