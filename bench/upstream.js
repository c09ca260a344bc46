// The upstream service of the http scenarios, in its own process (its CPU is not counted):
// GET /data answers a small JSON document at once, GET /slow the same after 500 ms.
import { createServer } from 'node:http';
import { serveUntilStopped } from './child.js';

/** What a typical JSON API answers: a few fields, a nested object and a short list. */
const DOCUMENT = JSON.stringify({
  id: 4711,
  name: 'benchmark order',
  status: 'shipped',
  customer: { id: 17, email: 'orders@example.com', country: 'DE' },
  lines: [
    { sku: 'A-100', qty: 2, price: 9.5 },
    { sku: 'B-200', qty: 1, price: 120 },
  ],
});

/** How long GET /slow waits before it answers. */
const SLOW_MS = 500;

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const send = () => {
      res.setHeader('Content-Type', 'application/json');
      res.end(DOCUMENT);
    };
    if (req.url === '/data') send();
    else if (req.url === '/slow') setTimeout(send, SLOW_MS);
    else res.writeHead(404).end();
  });
});
// Keep connections open between calls, as a real API does, and never time out the slow ones.
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  serveUntilStopped(port, () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve(undefined)));
  });
});
