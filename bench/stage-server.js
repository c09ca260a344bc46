// One stage of the proxy's request path, served on its own, so that `bench/stages.js` can tell
// what each layer costs by difference: the same answer, built by more and more of the proxy.
// Usage: node bench/stage-server.js STAGE   (STAGE: node, hono, body, invoke, headers, app, off, text-sync, text; see stages.js)
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createRegistry, invoke } from '@connector-proxy/core';
import { createApp, readConfig } from '@connector-proxy/server';
import { startServer } from '@connector-proxy/server/node';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { serveUntilStopped } from './child.js';

const example = fileURLToPath(new URL('../connectors/connector-example/dist/index.js', import.meta.url));
const connector = (await import(example)).default;
const registry = createRegistry([connector]);
const listing = JSON.stringify(registry.list());
const JSON_TYPE = { 'Content-Type': 'application/json' };
const command = registry.find('example', 'Example');
if (!command) throw new Error('no example/Example');
const envelope = JSON.stringify((await invoke(command, { message: 'Hello from the benchmark' })).envelope);

const stage = process.argv[2] ?? 'node';
/** @type {{ port: number, close: () => Promise<void> }} */
let running;
if (stage === 'node') {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      res.end(req.url === '/v1/commands' ? listing : envelope);
    });
  });
  running = await listen(server.listen(0, '127.0.0.1'));
} else if (stage === 'node-body' || stage === 'node-invoke') {
  // The direct path's shape without the proxy: the body read as readIncoming does, then (node-invoke) core.
  const server = createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', async () => {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/v1/commands') return res.end(listing);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (stage === 'node-body') return res.end(envelope);
      const invocation = await invoke(/** @type {any} */ (command), body, { config: {} });
      res.end(JSON.stringify(/** @type {any} */ (invocation).envelope));
    });
  });
  running = await listen(server.listen(0, '127.0.0.1'));
} else if (stage === 'hono' || stage === 'body' || stage === 'invoke' || stage === 'headers') {
  const app = new Hono();
  app.get('/v1/commands', (c) => c.body(listing, 200, JSON_TYPE));
  app.post('/v1/do/:connector/:command', async (c) => {
    if (stage === 'hono') return c.body(envelope, 200, JSON_TYPE);
    // What the app's body limit reads: on Node, c.req.header() builds a web Headers object.
    if (stage === 'headers' && c.req.header('content-length') === undefined) c.req.header('transfer-encoding');
    const body = JSON.parse(await c.req.text());
    if (stage === 'body') return c.body(envelope, 200, JSON_TYPE);
    const found = registry.find(c.req.param('connector'), c.req.param('command'));
    if (!found) return c.body('{}', 404, JSON_TYPE);
    const invocation = await invoke(found, body, { config: {} });
    return c.body(JSON.stringify(/** @type {any} */ (invocation).envelope), 200, JSON_TYPE);
  });
  running = await listen(serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }));
} else if (stage === 'app') {
  const app = createApp(registry, {});
  running = await listen(serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }));
} else {
  const config = readConfig({
    CONNECTOR_PROXY_PORT: '0',
    CONNECTOR_PROXY_LOG_FORMAT: stage === 'off' ? 'off' : 'text',
    ...(stage === 'open' ? { CONNECTOR_PROXY_EGRESS: 'open' } : {}),
    CONNECTOR_PROXY_SHUTDOWN_GRACE_MS: '500',
  });
  // text-sync: every line a process.stdout.write, as the request log was written before the buffered writer.
  // text-null: the lines are formatted and dropped, so what writing them costs shows by difference.
  const write =
    stage === 'text-sync'
      ? (/** @type {string} */ line) => process.stdout.write(`${line}\n`)
      : stage === 'text-null'
        ? () => {}
        : undefined;
  const server = await startServer(config, registry, write ? { write } : {});
  running = { port: server.port, close: () => server.close() };
}
serveUntilStopped(running.port, running.close, { stage });

/**
 * @param {import('node:http').Server | ReturnType<typeof serve>} server
 * @returns {Promise<{ port: number, close: () => Promise<void> }>}
 */
function listen(server) {
  return new Promise((resolve) => {
    const ready = () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const close = () => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        return new Promise((done) => server.close(() => done(undefined)));
      };
      resolve({ port, close });
    };
    if (server.listening) ready();
    else server.once('listening', ready);
  });
}
