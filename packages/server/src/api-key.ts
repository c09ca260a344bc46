import { createHash, timingSafeEqual } from 'node:crypto';
import { API_KEY_HEADER, UNAUTHORIZED_BODY } from '@connector-proxy/core';
import type { MiddlewareHandler } from 'hono';
import { headerOf } from './bindings.js';

/** Node's IncomingMessage spells header names in lower case. */
const HEADER_NAME = API_KEY_HEADER.toLowerCase();

/**
 * Requires the `Spiff-Connector-Proxy-Api-Key` header to equal the key. Both sides are hashed
 * first, so the comparison takes the same time whatever the given key's length or content.
 * Preflight requests (OPTIONS) pass, as in the Python demo app.
 */
export function requireApiKey(apiKey: string): MiddlewareHandler {
  const expected = digest(apiKey);
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const given = headerOf(c, HEADER_NAME);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      return c.json(UNAUTHORIZED_BODY, 401);
    }
    return next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
