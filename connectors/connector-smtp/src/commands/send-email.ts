import { defineCommand, type ParamsOf, param } from '@connector-proxy/core';
import { deliver, type Login, type SmtpServer } from '../deliver.js';
import { SMTP_ERRORS } from '../error-codes.js';
import { invalidParameters, toCommandError } from '../errors.js';
import { composeEmail, type Email } from '../message.js';
import { addresses, attachments, recipients, sender } from '../params.js';
import { services } from '../services.js';
import { readTrustedCa } from '../trust.js';

const MAX_TIMEOUT_SECONDS = 600;

const params = {
  // The Python connector's parameters, in its order: saved diagrams and the editor rely on them.
  smtp_host: param
    .str('SMTP server host name or IP address')
    .refine((host) => (host.trim() === '' ? { ok: false, problem: 'is empty' } : { ok: true, value: host.trim() })),
  smtp_port: param
    .int('SMTP server port: 25 or 587 (STARTTLS), 465 (implicit TLS), 1025/2525 locally')
    .min(1)
    .max(65_535),
  email_subject: param.str('Subject line'),
  email_body: param.str('Plain-text body'),
  email_to: recipients('Recipients: "a@example.com, Jane <jane@example.com>" or a list of addresses'),
  email_from: sender('Sender address, optionally with a name: "Jane <jane@example.com>"'),
  smtp_user: param.str('User name to log in with; login happens only when a password is given too').optional(),
  smtp_password: param.str('Password to log in with; use a secret: "secret:SMTP_PASSWORD"').secret().optional(),
  smtp_starttls: param.bool('Upgrade the connection with STARTTLS before logging in and sending').default(false),
  // What users need beyond the tutorial; all optional.
  email_cc: addresses('Cc recipients: comma-separated text or a list'),
  email_bcc: addresses('Bcc recipients, never shown in the message: comma-separated text or a list'),
  email_reply_to: addresses('Reply-To addresses: comma-separated text or a list'),
  email_body_html: param.str('HTML body, sent as an alternative to the plain-text body').optional(),
  email_attachments: attachments(
    'Files: a list of data URLs (as file fields give them) or of { filename, content, content_type }',
  ),
  smtp_secure: param.bool('Implicit TLS from the first byte (port 465 style); defaults to true on port 465').optional(),
  smtp_ca_cert: param.str('PEM certificate(s) of a private CA to trust besides the system ones').optional(),
  smtp_timeout: param
    .int('Seconds to wait for the connection, the greeting and each reply')
    .min(1)
    .max(MAX_TIMEOUT_SECONDS)
    .default(20),
};

type SendEmailParams = ParamsOf<typeof params>;

/** Sends one email through an SMTP server: the command of SpiffArena's "Writing a Connector" tutorial. */
export const SendEmail = defineCommand({
  description: 'Send one email through an SMTP server.',
  services,
  params,
  result: {
    description: "The message's id, the recipients the server accepted and refused, and its final reply",
    schema: {
      type: 'object',
      required: ['message_id', 'accepted', 'rejected', 'response'],
      properties: {
        message_id: { type: 'string' },
        accepted: { type: 'array', items: { type: 'string' } },
        rejected: { type: 'array', items: { type: 'string' } },
        response: { type: 'string' },
      },
    },
  },
  errors: SMTP_ERRORS,
  async run(args, { log, signal, services: { caCertificates } }) {
    const email = readEmail(args);
    const server = readServer(args, readTrustedCa(args.smtp_ca_cert, caCertificates));
    const login = readLogin(args);
    const composed = await composeEmail(email);

    const recipients = composed.envelope.to.length;
    log(`will send to ${recipients} recipient${recipients === 1 ? '' : 's'} through ${describeServer(server)}`);
    if (login && !server.secure && !server.starttls) {
      log('warning: logging in without TLS sends the password in clear; set smtp_starttls or smtp_secure');
    }

    const { accepted, rejected, response } = await deliver(server, login, composed, { signal, log }).catch(
      (error: unknown) => {
        const failure = toCommandError(error, secretsOf(login));
        log(`did error: ${failure.code}: ${failure.message}`);
        throw failure;
      },
    );
    log(`did send ${composed.messageId}: accepted ${accepted.length}, rejected ${rejected.length}`);
    if (rejected.length > 0) log(`rejected: ${rejected.join(', ')}`);
    return {
      body: { message_id: composed.messageId, accepted, rejected, response },
      mimetype: 'application/json',
    };
  },
});

/** The email as the parameters (already checked and parsed by core) describe it. */
function readEmail(args: SendEmailParams): Email {
  return {
    from: args.email_from,
    to: args.email_to,
    cc: args.email_cc,
    bcc: args.email_bcc,
    replyTo: args.email_reply_to,
    subject: args.email_subject,
    text: args.email_body,
    html: args.email_body_html || undefined,
    attachments: args.email_attachments,
  };
}

function readServer(args: SendEmailParams, ca: string[]): SmtpServer {
  const { smtp_host: host, smtp_port: port, smtp_starttls: starttls, smtp_timeout: timeout } = args;
  const secure = args.smtp_secure ?? port === 465;
  if (secure && starttls) {
    throw invalidParameters('smtp_secure and smtp_starttls exclude each other: implicit TLS (465) or STARTTLS (587)');
  }
  return { host, port, secure, starttls, timeoutMs: timeout * 1000, ca };
}

/** As in the Python connector: log in only when both a user and a password are given. */
function readLogin(args: SendEmailParams): Login | undefined {
  const { smtp_user: user, smtp_password: password } = args;
  return user && password ? { user, password } : undefined;
}

function describeServer({ host, port, secure, starttls }: SmtpServer): string {
  const tls = secure ? 'implicit TLS' : starttls ? 'STARTTLS' : 'no TLS';
  return `${host}:${port} (${tls})`;
}

/** The password in every form a server could echo back (as sent in AUTH PLAIN and AUTH LOGIN). */
function secretsOf(login: Login | undefined): string[] {
  if (!login) return [];
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  const forms = [login.password, base64(login.password), base64(`\0${login.user}\0${login.password}`)];
  return forms.filter((form) => form.length >= 3);
}
