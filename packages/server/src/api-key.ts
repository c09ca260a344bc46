import { createHash, timingSafeEqual } from 'node:crypto';
import { API_KEY_HEADER, UNAUTHORIZED_BODY } from '@connector-proxy/core';
import type { MiddlewareHandler } from 'hono';
import { headerOf } from './bindings.js';

/** The key's header as Node's IncomingMessage spells header names: in lower case. */
export const API_KEY_HEADER_NAME = API_KEY_HEADER.toLowerCase();

/**
 * Requires the `Spiff-Connector-Proxy-Api-Key` header to equal the key. Both sides are hashed
 * first, so the comparison takes the same time whatever the given key's length or content.
 * Preflight requests (OPTIONS) pass, as in the Python demo app.
 */
export function requireApiKey(apiKey: string): MiddlewareHandler {
  const matches = createApiKeyCheck(apiKey);
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    if (!matches(headerOf(c, API_KEY_HEADER_NAME))) return c.json(UNAUTHORIZED_BODY, 401);
    return next();
  };
}

/** Tells whether a request's key header is the key, in the same time whatever it holds. */
export function createApiKeyCheck(apiKey: string): (given: string | undefined) => boolean {
  const expected = digest(apiKey);
  return (given) => given !== undefined && timingSafeEqual(digest(given), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
