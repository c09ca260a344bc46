import type { Address } from './addresses.js';
import type { Attachment } from './attachments.js';
import { mailComposer } from './nodemailer.js';

/** Everything that goes into one email, already checked. */
export interface Email {
  from: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  subject: string;
  text: string;
  html: string | undefined;
  attachments: Attachment[];
}

/** An email as it goes over the wire: the MIME text and the SMTP envelope. */
export interface ComposedEmail {
  raw: Buffer;
  messageId: string;
  envelope: { from: string; to: string[] };
}

/**
 * Builds the MIME message. A text-only email comes out as the Python connector's does (one
 * text/plain UTF-8 part ending with a line break); an HTML body makes it multipart/alternative,
 * attachments multipart/mixed. Bcc recipients are in the envelope only, never in a header.
 */
export async function composeEmail(email: Email): Promise<ComposedEmail> {
  const MailComposer = mailComposer();
  const message = new MailComposer({
    from: email.from,
    to: email.to,
    cc: email.cc,
    bcc: email.bcc,
    replyTo: email.replyTo,
    subject: email.subject,
    text: withFinalLineBreak(email.text),
    html: email.html,
    attachments: email.attachments.map(({ filename, content, contentType }) => ({ filename, content, contentType })),
  }).compile();
  const raw = await message.build();
  const envelope = message.getEnvelope();
  return {
    raw,
    messageId: message.messageId(),
    envelope: { from: envelope.from || email.from.address, to: envelope.to },
  };
}

/** Python's EmailMessage.set_content ends every text body with a line break; so do we. */
function withFinalLineBreak(text: string): string {
  return /\r?\n$/.test(text) ? text : `${text}\n`;
}
