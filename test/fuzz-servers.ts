/** The local servers the fuzzed commands talk to, and a watch that every connection stays local. */
import dc from 'node:diagnostics_channel';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

/** A server on 127.0.0.1 and how to stop it. */
export interface LocalServer {
  port: number;
  /** Requests (HTTP) or sessions (SMTP) served so far. */
  served: () => number;
  close: () => Promise<void>;
}

function listen(server: Server, sockets: Set<Socket>, served: () => number): Promise<LocalServer> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        served,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    }),
  );
}

/**
 * An upstream HTTP server: answers JSON (with an integer beyond 2^53), XML, text or a 404 by path,
 * never a redirect and never a 5xx (which connector-http would retry, slowly).
 */
export function startUpstream(): Promise<LocalServer> {
  let served = 0;
  const server = createHttpServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => {
      served += 1;
      const url = req.url ?? '/';
      if (url.includes('xml')) {
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end('<order id="9007199254740993"><item>a</item><item>b</item></order>');
      } else if (url.includes('text')) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end('plain \u0000 words');
      } else {
        res.writeHead(url.includes('missing') ? 404 : 200, { 'Content-Type': 'application/json' });
        res.end(`{"method":${JSON.stringify(req.method)},"bytes":${bytes},"id":9007199254740993}`);
      }
    });
  });
  return listen(server, new Set(), () => served);
}

/**
 * A minimal SMTP server: greets, accepts every sender and recipient, queues every message,
 * advertises no AUTH and no STARTTLS, and hangs up on a TLS handshake.
 */
export function startSmtp(): Promise<LocalServer> {
  let served = 0;
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.write('220 fuzz ESMTP\r\n');
    let buffer = '';
    let inData = false;
    socket.on('data', (chunk: Buffer) => {
      if (!inData && buffer === '' && chunk[0] === 0x16) {
        socket.destroy();
        return;
      }
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            served += 1;
            socket.write('250 2.0.0 Ok: queued\r\n');
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-fuzz\r\n250 8BITMIME\r\n');
        else if (['HELO', 'MAIL', 'RCPT', 'RSET', 'NOOP'].includes(verb)) socket.write('250 Ok\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') socket.end('221 Bye\r\n');
        else socket.write('502 Command not implemented\r\n');
      }
    });
  });
  return listen(server, new Set(), () => served);
}

/** A port that accepts connections and drops them at once: a database that is not there. */
export function startHangUp(): Promise<LocalServer> {
  let served = 0;
  const server = createServer((socket) => {
    served += 1;
    socket.destroy();
  });
  return listen(server, new Set(), () => served);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Watches every client socket this process opens. A name that resolves to a non-loopback address
 * is refused before connecting; any connection to one is recorded, so the test fails on it.
 */
export function watchConnections(): { outside: string[]; stop: () => void } {
  const outside: string[] = [];
  const onSocket = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    socket.once('lookup', (_error: unknown, address: string) => {
      if (address && !LOOPBACK.test(address)) {
        outside.push(`lookup ${address}`);
        socket.destroy(new Error(`the fuzz test refuses to connect to ${address}`));
      }
    });
    socket.once('connect', () => {
      if (!LOOPBACK.test(socket.remoteAddress ?? '')) outside.push(`connect ${socket.remoteAddress}`);
    });
  };
  dc.subscribe('net.client.socket', onSocket);
  return { outside, stop: () => dc.unsubscribe('net.client.socket', onSocket) };
}
