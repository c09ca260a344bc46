// The proxy under test, in its own process: the real startServer on 127.0.0.1, an ephemeral
// port, the request log off, and only the example connector, loaded from its built dist.
import { fileURLToPath } from 'node:url';
import { readConfig } from '@connector-proxy/server';
import { loadConnectors, startServer } from '@connector-proxy/server/node';
import { serveUntilStopped } from './child.js';

const bench = fileURLToPath(new URL('.', import.meta.url));
const example = fileURLToPath(new URL('../connectors/connector-example', import.meta.url));

// A literal environment, so the caller's CONNECTOR_PROXY_* variables (an API key, CORS) cannot skew the figures.
const config = readConfig({
  CONNECTOR_PROXY_HOST: '127.0.0.1',
  CONNECTOR_PROXY_PORT: '0',
  CONNECTOR_PROXY_LOG_FORMAT: 'off',
  CONNECTOR_PROXY_SHUTDOWN_GRACE_MS: '1000',
});
// The bench folder has no connectors/ and no package.json, so only the explicit path is loaded.
const { registry, sources } = await loadConnectors({ root: bench, extra: [example] });
const server = await startServer(config, registry);
serveUntilStopped(server.port, () => server.close(), { connectors: sources.map((s) => `${s.name} (${s.entry})`) });
