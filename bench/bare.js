// The ceiling: a bare node:http server in its own process. It answers each copied route with the
// status, headers and body the proxy gave for it (sent by the parent over IPC), and forwards the
// http scenario's request doing the least a proxy must do: parse the body, GET the upstream URL
// on a keep-alive connection, read and parse its JSON, and wrap it in the same envelope.
import { Agent, createServer, request } from 'node:http';
import { serveUntilStopped } from './child.js';

/** @type {Map<string, { status: number, headers: [string, string][], body: Buffer }>} */
const routes = new Map();
/** @type {Set<string>} */
const forwarded = new Set();
const agent = new Agent({ keepAlive: true });

const server = createServer((req, res) => {
  const key = `${req.method} ${req.url}`;
  /** @type {Buffer[]} */
  const chunks = [];
  // Read the whole request body, as the proxy does, before answering.
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    if (forwarded.has(key)) {
      forward(Buffer.concat(chunks).toString('utf8'), res);
      return;
    }
    const route = routes.get(key);
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

/**
 * @param {string} text
 * @param {import('node:http').ServerResponse} res
 */
function forward(text, res) {
  const { url } = JSON.parse(text);
  const target = new URL(url);
  const where = `GET ${target.origin}${target.pathname}`;
  const upstream = request(
    target,
    { agent, headers: { 'user-agent': 'bench-forwarder', 'accept-encoding': 'gzip, deflate', accept: '*/*' } },
    (answer) => {
      /** @type {Buffer[]} */
      const parts = [];
      answer.on('data', (chunk) => parts.push(chunk));
      answer.on('end', () => {
        const status = answer.statusCode ?? 0;
        const envelope = {
          command_response: {
            body: JSON.parse(Buffer.concat(parts).toString('utf8')),
            mimetype: 'application/json',
            http_status: status,
          },
          error: null,
          command_response_version: 2,
          spiff__logs: [`will call ${where}`, 'attempt 1 of 1', `did call ${where}: status ${status}`],
        };
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(envelope));
      });
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  upstream.end();
}

process.once('message', (message) => {
  const { routes: list, forward: forwards = [] } =
    /** @type {{ routes: { method: string, path: string, status: number, headers: [string, string][], body: string }[], forward?: { method: string, path: string }[] }} */ (
      message
    );
  for (const r of list) {
    routes.set(`${r.method} ${r.path}`, { status: r.status, headers: r.headers, body: Buffer.from(r.body, 'base64') });
  }
  for (const f of forwards) forwarded.add(`${f.method} ${f.path}`);
  // The proxy's keep-alive bound (CONNECTOR_PROXY_* default), so both answer the same Keep-Alive header.
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const close = () => new Promise((resolve) => server.close(() => resolve(undefined)));
    serveUntilStopped(port, () => {
      server.closeAllConnections();
      agent.destroy();
      return close();
    });
  });
});
