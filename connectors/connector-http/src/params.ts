import { param } from '@connector-proxy/core';
import { BODY_FORMATS } from './body.js';
import { MAX_ATTEMPTS, toAttempts } from './retry.js';
import { headerRecord, pairRecord, rawText } from './shapes.js';
import { toHttpTarget } from './target.js';

// The parameters shared by the http commands. Each command lists them in its own file, in the
// Python connector's order, so the listing the diagram editor sees is visible there. Core checks
// and narrows each one, so a command receives the URL parsed and headers and query as text.

export const url = param
  .str('The URL to call (http:// or https://); user:password@ in it is used as basic auth')
  .refine(toHttpTarget)
  .withSchema({ type: 'string', format: 'uri', pattern: '^\\s*[hH][tT][tT][pP][sS]?://' });

export const headers = headerRecord.describe('Request headers: an object of header names to values').optional();

export const query = pairRecord
  .describe('Query parameters added to the URL: an object of names to values (a list repeats the name)')
  .optional();

export const jsonData = param.any('The request body, sent as JSON with Content-Type application/json').optional();

/** Its shape depends on body_format, so the command checks it (with core) against one of these. */
export const data = param
  .any('The request body; body_format says how it is sent')
  .withSchema({
    anyOf: [
      { description: 'body_format json: any JSON value' },
      { ...pairRecord.schema, description: 'body_format form: names to values, sent urlencoded' },
      { ...rawText.schema, description: 'body_format raw: text sent as it is' },
    ],
  })
  .optional();

export const bodyFormat = param
  .enum(BODY_FORMATS, 'How data is sent: json (default), form (urlencoded), raw (text as is) or none')
  .default('json');

export const includeResponseHeaders = param
  .bool('Also return the response headers, in command_response.headers')
  .default(false);

export const basicAuthUsername = param.str('Basic auth user name; used only together with the password').optional();

export const basicAuthPassword = param
  .str('Basic auth password; used only together with the user name')
  .secret()
  .optional();

/**
 * How many times to try. Lenient as Python's rule is ("anything but 1..10 means 1"), where
 * param.int() would refuse a value such as "many" before the command runs.
 */
export const attempts = param
  .custom<number>(
    'int',
    (value) => ({ ok: true, value: toAttempts(value) }),
    `How many times to try on 5xx, 429 or a network failure: 1 to ${MAX_ATTEMPTS}, anything else means 1`,
  )
  .withSchema({ type: 'integer', minimum: 1, maximum: MAX_ATTEMPTS })
  .default(1);
