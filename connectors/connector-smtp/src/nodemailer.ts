/**
 * nodemailer's composer and SMTP client (about 20 MB resident), found when the connector loads and
 * loaded with the first email (core's onFirstUse). addresses.ts loads the package's address
 * parser at start-up anyway, for the parameter checks.
 */
import { createRequire } from 'node:module';
import { onFirstUse } from '@connector-proxy/core';
import type MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';

const require = createRequire(import.meta.url);

/** nodemailer's MailComposer class. */
export const mailComposer = onFirstUse<typeof MailComposer>(require, 'nodemailer/lib/mail-composer/index.js');

/** nodemailer's SMTPConnection class. */
export const smtpConnection = onFirstUse<typeof SMTPConnection>(require, 'nodemailer/lib/smtp-connection/index.js');
