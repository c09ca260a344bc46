// The proxy under test, in its own process: the real startServer on 127.0.0.1, an ephemeral
// port, the request log as the first argument says (text, json or off; written to stdout, which
// the bench drains as a log collector would), and only the connectors named after it, loaded from
// their built dist (plain node: no tsx, no `development` condition).
// Usage: node bench/proxy.js LOG_FORMAT CONNECTOR_PATH...
import { fileURLToPath } from 'node:url';
import { readConfig } from '@connector-proxy/server';
import { loadConnectors, startServer } from '@connector-proxy/server/node';
import { serveUntilStopped } from './child.js';

const bench = fileURLToPath(new URL('.', import.meta.url));
const [logFormat = 'text', ...connectors] = process.argv.slice(2);

// A literal environment, so the caller's CONNECTOR_PROXY_* variables (an API key, CORS) cannot skew the figures.
const config = readConfig({
  CONNECTOR_PROXY_HOST: '127.0.0.1',
  CONNECTOR_PROXY_PORT: '0',
  CONNECTOR_PROXY_LOG_FORMAT: logFormat,
  CONNECTOR_PROXY_SHUTDOWN_GRACE_MS: '1000',
});
// The bench folder has no connectors/ and no package.json, so only the explicit paths are loaded.
const { registry, sources } = await loadConnectors({ root: bench, extra: connectors });
const server = await startServer(config, registry);
serveUntilStopped(server.port, () => server.close(), {
  connectors: sources.map((s) => s.name),
  commands: registry.entries().length,
});
