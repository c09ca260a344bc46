// The ceiling: a bare node:http server in its own process that answers each benchmarked request
// with the status, headers and body the proxy gave for it (sent by the parent over IPC).
import { createServer } from 'node:http';
import { serveUntilStopped } from './child.js';

/** @type {Map<string, { status: number, headers: [string, string][], body: Buffer }>} */
const routes = new Map();

const server = createServer((req, res) => {
  const route = routes.get(`${req.method} ${req.url}`);
  // Read the whole request body, as the proxy does, before answering.
  req.resume();
  req.on('end', () => {
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    // setHeader then end(body), as @hono/node-server does: Node adds Date, Connection, Keep-Alive
    // and Content-Length after these, in the same order as for the proxy.
    res.statusCode = route.status;
    for (const [name, value] of route.headers) res.setHeader(name, value);
    res.end(route.body);
  });
});

process.once('message', (message) => {
  const { routes: list, keepAliveTimeoutMs } =
    /** @type {{ keepAliveTimeoutMs: number, routes: { method: string, path: string, status: number, headers: [string, string][], body: string }[] }} */ (
      message
    );
  server.keepAliveTimeout = keepAliveTimeoutMs;
  for (const r of list) {
    routes.set(`${r.method} ${r.path}`, { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'base64') });
  }
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const close = () => new Promise((resolve) => server.close(() => resolve(undefined)));
    serveUntilStopped(port, () => {
      server.closeAllConnections();
      return close();
    });
  });
});
