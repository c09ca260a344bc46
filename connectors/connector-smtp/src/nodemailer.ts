/**
 * nodemailer's composer and SMTP client, loaded with the first email instead of at start-up
 * (they are the largest part of the proxy's resident memory there, about 20 MB). The package is
 * known to be installed: addresses.ts loads its address parser when the connector loads.
 * With require, not import(): on Node 20 a CommonJS module that throws while it loads through
 * import() is also an uncaught exception, even when the import's rejection is handled
 * (nodejs/node#51603); through require the throw stays the command's failure.
 */
import { createRequire } from 'node:module';
import type MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';

const require = createRequire(import.meta.url);
let composer: typeof MailComposer | undefined;
let client: typeof SMTPConnection | undefined;

/** nodemailer's MailComposer class. */
export function mailComposer(): typeof MailComposer {
  composer ??= require('nodemailer/lib/mail-composer/index.js') as typeof MailComposer;
  return composer;
}

/** nodemailer's SMTPConnection class. */
export function smtpConnection(): typeof SMTPConnection {
  client ??= require('nodemailer/lib/smtp-connection/index.js') as typeof SMTPConnection;
  return client;
}
