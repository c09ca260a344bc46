import { describeValue, kindOf } from '@connector-proxy/core';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import { invalidParameters } from './errors.js';

/** One mailbox: `Jane Doe <jane@example.com>` is `{ name: 'Jane Doe', address: 'jane@example.com' }`. */
export interface Address {
  name: string;
  address: string;
}

/**
 * What we accept as an address: a local part and a domain, neither with spaces nor the
 * characters that delimit addresses in a header. Deliberately loose (the server is the judge),
 * but enough to catch "Jane", "jane@" or a forgotten comma before anything is sent.
 */
const MAILBOX = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:".][^\s@<>()[\]\\,;:"]*$/u;

/**
 * Reads an address parameter: one text with addresses separated by commas (or semicolons), or a
 * list of such texts. Display names are kept (`"Doe, Jane" <jane@example.com>`). An absent value
 * is an empty list; anything unreadable is an InvalidParameters error naming the parameter.
 */
export function readAddresses(value: unknown, id: string): Address[] {
  if (value === undefined || value === null) return [];
  const texts = Array.isArray(value) ? value : [value];
  return texts.flatMap((text, index) => {
    const where = Array.isArray(value) ? `${id}[${index}]` : id;
    if (typeof text !== 'string')
      throw invalidParameters(`${where} must be a text with email addresses, got ${kindOf(text)}`);
    return parseAddresses(text, where);
  });
}

/** Reads a parameter that must hold exactly one address, such as `email_from`. */
export function readAddress(value: string, id: string): Address {
  const [first, ...others] = readAddresses(value, id);
  if (first === undefined) throw invalidParameters(`${id} must hold an email address, got ${describeValue(value)}`);
  if (others.length > 0) throw invalidParameters(`${id} must hold one email address, got ${others.length + 1}`);
  return first;
}

function parseAddresses(text: string, where: string): Address[] {
  return addressparser(text, { flatten: true }).map(({ name, address }) => {
    if (!MAILBOX.test(address)) {
      const shown = address || name;
      throw invalidParameters(`${where}: ${describeValue(shown)} is not an email address`);
    }
    return { name, address };
  });
}
