import { createHash, timingSafeEqual } from 'node:crypto';
import { API_KEY_HEADER, UNAUTHORIZED_BODY } from '@connector-proxy/core';
import type { MiddlewareHandler } from 'hono';

/**
 * Requires the `Spiff-Connector-Proxy-Api-Key` header to equal the key. Both sides are hashed
 * first, so the comparison takes the same time whatever the given key's length or content.
 * Preflight requests (OPTIONS) pass, as in the Python demo app.
 */
export function requireApiKey(apiKey: string): MiddlewareHandler {
  const expected = digest(apiKey);
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const given = c.req.header(API_KEY_HEADER);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      return c.json(UNAUTHORIZED_BODY, 401);
    }
    return next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
