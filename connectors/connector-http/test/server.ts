import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/** A request as the test server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Answers one request; `seen` is the request with its body already read. */
export type Route = (seen: SeenRequest, response: http.ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 for connector tests. */
export interface TestServer {
  /** The absolute URL of a path on this server. */
  url(path: string): string;
  /** Every request received, in order. */
  seen: SeenRequest[];
  /** The requests received for one path (query ignored). */
  seenAt(path: string): SeenRequest[];
  close(): Promise<void>;
}

/** A certificate and its key, for a test server that speaks TLS. */
export interface TlsIdentity {
  cert: string;
  key: string;
}

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** Test-only certificates (valid 2000-2099; the CA's key was discarded), see test/fixtures. */
export const tlsFixture = {
  /** The test CA, as a path (for CA_FILE) and as PEM text. */
  caPath: new URL('./fixtures/ca.pem', import.meta.url).pathname,
  ca: fixture('ca.pem'),
  /** Signed by the test CA, for 127.0.0.1 and localhost. */
  server: { cert: fixture('server-cert.pem'), key: fixture('server-key.pem') },
  /** Signed by the test CA, for other.example.com only. */
  otherHost: { cert: fixture('other-host-cert.pem'), key: fixture('other-host-key.pem') },
  /** Self-signed, for 127.0.0.1 and localhost. */
  selfSigned: { cert: fixture('self-signed-cert.pem'), key: fixture('self-signed-key.pem') },
};

/** Starts a server on an ephemeral port, https when given a TLS identity; unknown paths answer 404 text. */
export async function startServer(routes: Record<string, Route>, tls?: TlsIdentity): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const handle: http.RequestListener = (request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      const entry: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body,
      };
      seen.push(entry);
      const route = routes[pathOf(entry.url)];
      if (route) route(entry, response);
      else {
        response.writeHead(404, { 'content-type': 'text/plain' });
        response.end('no such route');
      }
    });
  };
  const server = tls ? https.createServer(tls, handle) : http.createServer(handle);
  const port = await listen(server);
  const scheme = tls ? 'https' : 'http';
  return {
    url: (path) => `${scheme}://127.0.0.1:${port}${path}`,
    seen,
    seenAt: (path) => seen.filter((entry) => pathOf(entry.url) === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A route that answers with a fixed status, Content-Type and body. */
export function reply(
  status: number,
  contentType: string | undefined,
  body: string | Buffer,
  extra: http.OutgoingHttpHeaders = {},
): Route {
  return (_seen, response) => {
    const headers: http.OutgoingHttpHeaders = { ...extra };
    if (contentType !== undefined) headers['content-type'] = contentType;
    response.writeHead(status, headers);
    response.end(body);
  };
}

/** A route that answers with the request it saw, as JSON. */
export const echo: Route = (seen, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(seen));
};

function pathOf(url: string): string {
  return new URL(url, 'http://test').pathname;
}

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the test server has no port');
  return address.port;
}
