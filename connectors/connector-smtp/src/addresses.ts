import { type Coerced, describeValue, kindOf, type Problem } from '@connector-proxy/core';
import addressparser from 'nodemailer/lib/addressparser/index.js';

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

/** The JSON Schema of an address parameter: one text, or a list of texts. */
export const ADDRESSES_SCHEMA = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

/**
 * Reads addresses: one text with addresses separated by commas (or semicolons), or a list of such
 * texts. Display names are kept (`"Doe, Jane" <jane@example.com>`); an empty text is no address.
 * Every unreadable item is a problem naming where it is (`[1]: "nope" is not an email address`).
 */
export function toAddresses(value: unknown): Coerced<Address[]> {
  const listed = Array.isArray(value);
  const problems: Problem[] = [];
  const addresses: Address[] = [];
  (listed ? value : [value]).forEach((text: unknown, index) => {
    const path = listed ? [index] : [];
    if (typeof text !== 'string') {
      problems.push({ path, message: `must be a text with email addresses, got ${kindOf(text)}` });
      return;
    }
    for (const { name, address } of addressparser(text, { flatten: true })) {
      if (MAILBOX.test(address)) addresses.push({ name, address });
      else problems.push({ path, message: `: ${describeValue(address || name)} is not an email address` });
    }
  });
  if (problems.length > 0) return { ok: false, problem: problems[0]?.message ?? '', problems };
  return { ok: true, value: addresses };
}

/** Reads a parameter that must hold exactly one address, such as `email_from`. */
export function toOneAddress(text: string): Coerced<Address> {
  const read = toAddresses(text);
  if (!read.ok) return read;
  const [first, ...others] = read.value;
  if (first === undefined) return { ok: false, problem: `must hold an email address, got ${describeValue(text)}` };
  if (others.length > 0) return { ok: false, problem: `must hold one email address, got ${others.length + 1}` };
  return { ok: true, value: first };
}
