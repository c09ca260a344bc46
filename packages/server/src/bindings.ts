import type { IncomingMessage } from 'node:http';
import { DEFAULT_TIMEOUT_MS } from '@connector-proxy/core';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/**
 * What an adapter may add to a request's Hono env, beside its own bindings, to tell the app about
 * the runtime the request runs in. The Node server adds nothing; the Lambda handler adds both.
 */
export interface AdapterBindings {
  /** Milliseconds the runtime still gives this request (a Lambda invocation's remaining time, less a margin). */
  timeLeftMs?: () => number;
  /** The body of a GET request, which a fetch `Request` cannot carry but an event can. */
  getBody?: string;
}

/** One binding an adapter may have added, read without copying the env (this runs for every request). */
function bindingOf<K extends keyof AdapterBindings>(c: Context, key: K): unknown {
  const env: unknown = c.env;
  return typeof env === 'object' && env !== null ? (env as Record<string, unknown>)[key] : undefined;
}

/** One request's command deadline: the configured one, capped by the time the adapter says is left (at least 1 ms). */
export function commandTimeoutFor(c: Context, configuredMs: number = DEFAULT_TIMEOUT_MS): number {
  const timeLeftMs = bindingOf(c, 'timeLeftMs');
  if (typeof timeLeftMs !== 'function') return configuredMs;
  const left = Number(timeLeftMs());
  if (!Number.isFinite(left)) return configuredMs;
  return Math.max(1, Math.min(configuredMs, Math.floor(left)));
}

/** The GET body an adapter handed over in the env, if it did. */
export function getBodyOf(c: Context): string | undefined {
  const getBody = bindingOf(c, 'getBody');
  return typeof getBody === 'string' ? getBody : undefined;
}

/**
 * A request header by its lower-case name, read from Node's IncomingMessage when the request came
 * through the Node server: `c.req.header()` makes that adapter build a web Headers object of the
 * whole request first, microseconds each time. Elsewhere (Lambda, `app.request()`) the same as it.
 */
export function headerOf(c: Context, name: string): string | undefined {
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  return incoming === undefined ? c.req.header(name) : incomingHeader(incoming, name);
}

/** A header of a Node request by its lower-case name; repeated ones joined as a web Headers joins them. */
export function incomingHeader(incoming: IncomingMessage, name: string): string | undefined {
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
