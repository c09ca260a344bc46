import { type Coerced, kindOf, param } from '@connector-proxy/core';
import { ADDRESSES_SCHEMA, type Address, toAddresses, toOneAddress } from './addresses.js';
import { ATTACHMENTS_SCHEMA, toAttachments } from './attachments.js';

// The shapes of SendEmail's structured parameters, checked by core before the command runs, so
// it receives parsed addresses and decoded attachments.

/**
 * Recipients, listed as `str` as the Python connector lists `email_to`, that also take a list of
 * texts (`["a@example.com", "b@example.com"]`), which a diagram often has at hand: `param.any`
 * would be listed as `any`, breaking saved diagrams' parameter types.
 */
export function recipients(description: string) {
  return param
    .custom<Address[]>(
      'str',
      (value): Coerced<Address[]> =>
        typeof value === 'string' || Array.isArray(value)
          ? toAddresses(value)
          : { ok: false, problem: `must be a text or a list of texts, got ${kindOf(value)}` },
      description,
    )
    .refine((addresses) =>
      addresses.length > 0
        ? { ok: true, value: addresses }
        : { ok: false, problem: 'must hold at least one email address' },
    )
    .withSchema(ADDRESSES_SCHEMA);
}

/** One sender address, optionally with a name. */
export function sender(description: string) {
  return param.str(description).refine(toOneAddress);
}

/** Optional addresses (cc, bcc, reply-to): comma-separated text or a list; none when left out. */
export function addresses(description: string) {
  return param.custom('any', toAddresses, description).withSchema(ADDRESSES_SCHEMA).default([]);
}

/** Files to attach: a list (or one item) of data URLs or `{ filename, content, content_type }`. */
export function attachments(description: string) {
  return param.custom('any', toAttachments, description).withSchema(ATTACHMENTS_SCHEMA).default([]);
}
