import { rootCertificates } from 'node:tls';
import { CommandError, ErrorCode } from '@connector-proxy/core';
import type SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';
import { smtpError } from './errors.js';
import type { ComposedEmail } from './message.js';
import { smtpConnection } from './nodemailer.js';

/** Where and how to reach the SMTP server. */
export interface SmtpServer {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465 style). */
  secure: boolean;
  /** Upgrade a plain connection with STARTTLS, and fail if the server cannot. */
  starttls: boolean;
  /** Bound on connecting, on the greeting and on each reply. */
  timeoutMs: number;
  /** Extra CA certificates (PEM) trusted besides the system's, for a private CA. */
  ca: readonly string[];
}

/** The account to log in with. */
export interface Login {
  user: string;
  password: string;
}

/** What the server said about the message. */
export interface Delivery {
  accepted: string[];
  rejected: string[];
  /** The server's reply to the message, e.g. `250 2.0.0 Ok: queued as 4F2A1`. */
  response: string;
}

/** What a session needs from the running command. */
export interface SessionContext {
  /** Aborts at the command's deadline; the connection is closed at once. */
  signal: AbortSignal;
  log: (message: string) => void;
}

/**
 * One SMTP session, the way Python's `with SMTP(host, port) as smtp:` runs it: connect (STARTTLS
 * when asked), log in when given a login, send, QUIT. Any failure rejects with nodemailer's error
 * (see toCommandError).
 */
export async function deliver(
  server: SmtpServer,
  login: Login | undefined,
  email: ComposedEmail,
  { signal, log }: SessionContext,
): Promise<Delivery> {
  if (signal.aborted) throw stopped(signal);
  const Client = smtpConnection();
  const connection = new Client({
    host: server.host,
    port: server.port,
    secure: server.secure,
    // As in the Python connector, no TLS unless asked: nodemailer would otherwise upgrade on its own.
    requireTLS: server.starttls,
    ignoreTLS: !server.starttls,
    connectionTimeout: server.timeoutMs,
    greetingTimeout: server.timeoutMs,
    socketTimeout: server.timeoutMs,
    dnsTimeout: server.timeoutMs,
    // Adding to the system's roots, not replacing them, keeps public servers verifiable too.
    tls: server.ca.length > 0 ? { ca: [...rootCertificates, ...server.ca] } : {},
    logger: false,
  });

  // `broken` rejects with the first error, an unexpected end or the abort; every step races it.
  let fail: (error: unknown) => void = () => {};
  const broken = new Promise<never>((_, reject) => {
    fail = reject;
  });
  broken.catch(() => {});
  connection.once('error', fail);
  connection.once('end', () => fail(smtpError('SMTPServerDisconnected', 'Connection unexpectedly closed')));
  const onAbort = () => {
    fail(stopped(signal));
    connection.close();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const step = <T>(run: (resolve: (value: T) => void, reject: (error: unknown) => void) => void) =>
    Promise.race([new Promise<T>(run), broken]);

  try {
    await step<void>((resolve) => connection.connect(() => resolve()));
    log(`connected${connection.secure ? ' over TLS' : ''}`);
    if (login) {
      if (!allowsAuth(connection)) {
        throw smtpError('SMTPNotSupportedError', 'SMTP AUTH extension not supported by server.');
      }
      log(`will log in as ${login.user}`);
      await step<void>((resolve, reject) =>
        connection.login({ credentials: { user: login.user, pass: login.password } }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      log('did log in');
    }
    const info = await step<SMTPConnection.SentMessageInfo>((resolve, reject) =>
      // The size lets a server that announces SIZE refuse a too-large message before it is sent.
      connection.send({ ...email.envelope, size: email.raw.length }, email.raw, (error, sent) =>
        error ? reject(error) : resolve(sent),
      ),
    );
    connection.quit();
    return { accepted: info.accepted, rejected: info.rejected, response: info.response };
  } finally {
    signal.removeEventListener('abort', onAbort);
    connection.close();
  }
}

/** True once EHLO listed AUTH; nodemailer keeps this on the connection but does not type it. */
function allowsAuth(connection: SMTPConnection): boolean {
  return 'allowsAuth' in connection && connection.allowsAuth === true;
}

function stopped(signal: AbortSignal): CommandError {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'aborted';
  return new CommandError(ErrorCode.CommandTimeout, `stopped before the server answered: ${reason}`, {
    httpStatus: 504,
  });
}
