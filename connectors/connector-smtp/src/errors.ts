import { getSystemErrorName } from 'node:util';
import { CommandError, ErrorCode } from '@connector-proxy/core';

/**
 * The error codes SendEmail reports, with the `http_status` that tells SpiffArena whether a
 * retry can help (5xx: maybe; 4xx: no). Where the Python connector fails the same way, the code
 * is the name of the exception it raises there, so error boundary events carry over.
 */
export const SmtpErrorCode = {
  InvalidParameters: { status: 400, when: 'an address, attachment or option is malformed (checked before connecting)' },
  InvalidConfiguration: { status: 500, when: 'the CA_FILE the proxy is configured with cannot be read' },
  gaierror: { status: 502, when: 'smtp_host does not resolve' },
  ConnectionRefusedError: { status: 503, when: 'nothing listens on smtp_host:smtp_port' },
  ConnectionResetError: { status: 502, when: 'the server reset the connection' },
  OSError: { status: 502, when: 'any other network failure (unreachable host or network ...)' },
  TimeoutError: { status: 504, when: 'connecting, the greeting or a reply took longer than smtp_timeout' },
  SMTPServerDisconnected: { status: 502, when: 'the server closed the connection unexpectedly' },
  SMTPConnectError: { status: 503, when: 'the server greeted with a refusal instead of 220' },
  SMTPHeloError: { status: 502, when: 'the server refused EHLO and HELO' },
  SMTPNotSupportedError: { status: 400, when: 'STARTTLS or AUTH was needed but the server does not offer it' },
  SSLCertVerificationError: {
    status: 400,
    when: "the server's certificate is not trusted or does not match smtp_host",
  },
  SSLError: { status: 400, when: 'the TLS handshake failed (e.g. smtp_secure against a plain-text port)' },
  SMTPAuthenticationError: { status: 401, when: 'the server refused smtp_user / smtp_password' },
  SMTPSenderRefused: { status: 403, when: 'the server refused email_from (or the message size)' },
  SMTPRecipientsRefused: { status: 422, when: 'the server refused every recipient' },
  SMTPDataError: { status: 422, when: 'the server refused the message itself' },
  SMTPResponseException: { status: 502, when: 'the server answered something unexpected' },
  SMTPException: { status: 502, when: 'any other SMTP failure' },
} as const;

/** One of the codes in {@link SmtpErrorCode}. */
export type SmtpErrorCodeName = keyof typeof SmtpErrorCode;

/** What nodemailer attaches to the errors it reports (see nodemailer's SMTPError). */
interface SmtpFailure {
  message: string;
  code: unknown;
  command: unknown;
  responseCode: unknown;
  errno: unknown;
  library: unknown;
  cert: unknown;
}

/** A CommandError with one of our codes; its status follows the catalogue. */
export function smtpError(
  code: SmtpErrorCodeName,
  message: string,
  options: { responseCode?: number; cause?: unknown } = {},
) {
  // An SMTP reply 4yz is a transient refusal (busy, greylisted): a retry may well succeed.
  const transient = options.responseCode !== undefined && options.responseCode >= 400 && options.responseCode < 500;
  const httpStatus = transient ? 503 : SmtpErrorCode[code].status;
  return new CommandError(code, message, { httpStatus, cause: options.cause });
}

/** The CommandError for a parameter the command cannot use; nothing has been sent yet. */
export function invalidParameters(message: string): CommandError {
  return smtpError(ErrorCode.InvalidParameters, `invalid parameters: ${message}`);
}

/**
 * Turns whatever nodemailer (or the network under it) threw into a CommandError with the code
 * the Python connector reports for the same failure. `secrets` are scrubbed from the message:
 * a server may echo what it was sent.
 */
export function toCommandError(error: unknown, secrets: readonly string[] = []): CommandError {
  if (error instanceof CommandError) return error;
  const failure = readFailure(error);
  const code = classify(failure);
  const responseCode = typeof failure.responseCode === 'number' ? failure.responseCode : undefined;
  const message = secrets.reduce((text, secret) => text.split(secret).join('***'), failure.message.trim());
  return smtpError(code, message, { responseCode, cause: error });
}

function classify(failure: SmtpFailure): SmtpErrorCodeName {
  switch (failure.code) {
    case 'EAUTH':
      return 'SMTPAuthenticationError';
    case 'EENVELOPE':
      return refusedPart(failure.command) ?? 'InvalidParameters';
    case 'EMESSAGE':
      return refusedPart(failure.command) ?? 'SMTPDataError';
    case 'EDNS':
      return 'gaierror';
    case 'ETIMEDOUT':
      return 'TimeoutError';
    case 'EPROTOCOL':
      if (failure.command === 'CONN') return 'SMTPConnectError';
      if (failure.command === 'EHLO' || failure.command === 'HELO') return 'SMTPHeloError';
      return 'SMTPResponseException';
    case 'ETLS':
      // A reply means the server answered STARTTLS with a refusal; otherwise the handshake broke.
      return typeof failure.responseCode === 'number' ? 'SMTPNotSupportedError' : networkFailure(failure, 'SSLError');
    case 'ECONNECTION':
      return networkFailure(failure, 'SMTPServerDisconnected');
    case 'ESOCKET':
      return networkFailure(failure, 'OSError');
    default:
      return networkFailure(failure, 'SMTPException');
  }
}

function refusedPart(command: unknown): SmtpErrorCodeName | undefined {
  if (command === 'MAIL FROM') return 'SMTPSenderRefused';
  if (command === 'RCPT TO') return 'SMTPRecipientsRefused';
  if (command === 'DATA') return 'SMTPDataError';
  return undefined;
}

/** Socket-level failures; nodemailer replaces their `code`, so they are told apart by what remains. */
function networkFailure(failure: SmtpFailure, fallback: SmtpErrorCodeName): SmtpErrorCodeName {
  // Node's certificate checks leave only a message ("self-signed certificate", "...altnames...").
  if (failure.cert !== undefined || /certificate|altnames/i.test(failure.message)) return 'SSLCertVerificationError';
  if (typeof failure.library === 'string') return 'SSLError';
  const system = typeof failure.errno === 'number' ? getSystemErrorName(failure.errno) : undefined;
  if (system === 'ECONNREFUSED') return 'ConnectionRefusedError';
  if (system === 'ECONNRESET' || system === 'EPIPE') return 'ConnectionResetError';
  if (system === 'ETIMEDOUT') return 'TimeoutError';
  if (system !== undefined) return 'OSError';
  return fallback;
}

function readFailure(error: unknown): SmtpFailure {
  const fields = typeof error === 'object' && error !== null ? error : {};
  const field = (name: string): unknown => (name in fields ? Reflect.get(fields, name) : undefined);
  const message = error instanceof Error ? error.message : String(error);
  return {
    message,
    code: field('code'),
    command: field('command'),
    responseCode: field('responseCode'),
    errno: field('errno'),
    library: field('library'),
    cert: field('cert'),
  };
}
