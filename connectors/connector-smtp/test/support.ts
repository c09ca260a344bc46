/** Real servers on 127.0.0.1 for the tests: an SMTP server that keeps what arrives, and worse ones. */
import { readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import smtp from '../src/index.js';

const command = smtp.commands.get('SendEmail');
if (!command) throw new Error('connector-smtp has no SendEmail command');
/** The command under test, as the proxy finds it. */
export const SendEmail = command;

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
/** Test-only TLS material: a private CA and a certificate it signed for 127.0.0.1 and localhost. */
export const tlsFixture = {
  caPath: new URL('./fixtures/ca.pem', import.meta.url).pathname,
  ca: fixture('ca.pem'),
  cert: fixture('server-cert.pem'),
  key: fixture('server-key.pem'),
  /** Signed by the same CA, but for mail.example.com only. */
  otherHost: { cert: fixture('other-host-cert.pem'), key: fixture('other-host-key.pem') },
};

/** The one account our test servers know. */
export const USER = 'jane';
export const PASSWORD = 'correct horse battery';

/** One message as the server received it. */
export interface Received {
  mailFrom: string;
  rcptTo: string[];
  raw: Buffer;
  mail: ParsedMail;
  /** The user that logged in, if any, and how. */
  user: string | undefined;
  authMethod: string | undefined;
  secure: boolean;
}

/** A running SMTP server and what it saw. */
export interface TestSmtpServer {
  port: number;
  received: Received[];
  /** Number of client connections accepted so far. */
  connections: () => number;
  close: () => Promise<void>;
}

/**
 * Starts smtp-server on 127.0.0.1 with a free port. By default it accepts everything, lets
 * clients log in as USER/PASSWORD without TLS, and keeps every message; options override that.
 */
export async function startSmtpServer(options: SMTPServerOptions = {}): Promise<TestSmtpServer> {
  const received: Received[] = [];
  let connections = 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    allowInsecureAuth: true,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onAuth(auth, session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) {
        session.user = { user: auth.username, method: auth.method };
        return callback(null, { user: session.user });
      }
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        const login = isLogin(session.user) ? session.user : undefined;
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw,
          mail: await simpleParser(raw),
          user: login?.user,
          authMethod: login?.method,
          secure: session.secure,
        });
        callback();
      });
    },
    ...options,
  });
  // A client that gives up mid-handshake is an error for the server, and expected in these tests.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: portOf(server.server.address()),
    received,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function isLogin(value: unknown): value is { user: string; method: string } {
  return typeof value === 'object' && value !== null && 'user' in value && 'method' in value;
}

/** A server that accepts connections and never says a word; tells when a client hangs up. */
export async function startSilentServer() {
  const sockets: Socket[] = [];
  let hungUp: () => void = () => {};
  const clientHungUp = new Promise<void>((resolve) => {
    hungUp = resolve;
  });
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
    socket.on('close', () => hungUp());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: portOf(server.address()),
    clientHungUp,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = portOf(server.address());
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function portOf(address: ReturnType<ReturnType<typeof createServer>['address']>): number {
  if (address === null || typeof address === 'string') throw new Error('the test server has no TCP port');
  return address.port;
}

/** The tutorial's parameters, pointed at a test server. */
export function tutorialParams(port: number): Record<string, unknown> {
  return {
    smtp_host: '127.0.0.1',
    smtp_port: port,
    email_subject: 'Just testing',
    email_body: 'Just testing the new smtp connector',
    email_to: 'jon@example.com',
    email_from: 'testing@spiff.local',
  };
}
