import type { Context, Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import { clientStatusOf } from './client-status.js';

/** One line of the request log; never holds headers, bodies or parameter values. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** What the client got; 499 when it closed the connection before the answer (as nginx logs it). */
  status: number;
  ms: number;
  command?: string;
  errorCode?: string;
}

/**
 * What a text log field must not carry as it is: controls (C0, DEL, C1), surrogates, format
 * characters (bidi overrides, zero-width), private-use and unassigned code points, every kind of
 * space and line or paragraph separator (U+2028/2029), and the backslash that starts an escape.
 * The router percent-decodes the path, so a client can put any of these in it.
 */
const UNSAFE_IN_TEXT = /[\\\p{C}\p{Z}]/gu;

/** The same for a JSON line, whose writer already escapes C0, quotes, backslashes and lone surrogates. */
const UNSAFE_IN_JSON = /[\p{C}\p{Zl}\p{Zp}]/gu;

/**
 * Printable ASCII but the space, the quote and the backslash: what nearly every method, path,
 * command and error code is, and what neither format escapes. One test skips the escaping.
 */
const PLAIN_FIELD = /^[\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * One field of a text log line, escaped so that it cannot start a new line, pose as another field
 * or reorder what a terminal shows: `\xHH`, `\uHHHH` or `\u{HHHHH}` for each unsafe code point,
 * `\\` for a backslash. Printable text (accents, CJK, emoji) stays as it is.
 */
export function escapeLogField(value: string): string {
  if (PLAIN_FIELD.test(value)) return value;
  return value.replace(UNSAFE_IN_TEXT, (ch) => {
    if (ch === '\\') return '\\\\';
    const code = ch.codePointAt(0) ?? 0;
    if (code <= 0xff) return `\\x${hex(code, 2)}`;
    return code <= 0xffff ? `\\u${hex(code, 4)}` : `\\u{${code.toString(16).toUpperCase()}}`;
  });
}

/** One field of a JSON log line: a JSON string, with the invisible characters escaped too (see {@link escapeJsonLine}). */
export function jsonLogField(value: string): string {
  return PLAIN_FIELD.test(value) ? `"${value}"` : escapeJsonLine(JSON.stringify(value));
}

/** A JSON text with the remaining invisible characters written as `\uHHHH` escapes (the same value). */
export function escapeJsonLine(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => {
    let escaped = '';
    for (let i = 0; i < ch.length; i++) escaped += `\\u${hex(ch.charCodeAt(i), 4)}`;
    return escaped;
  });
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/** What a handler tells the request log beyond its response: the command it ran, the error code it answered. */
export interface RequestNote {
  command?: string;
  errorCode?: string;
}

/**
 * Where the note hangs: on the request's bindings object (`c.env`), because Hono's body limit may
 * replace `c.req.raw` on the way. A symbol-keyed property, not a WeakMap: every WeakMap entry is
 * more work for each garbage collection, one per request.
 */
const NOTE = Symbol('connector-proxy.request-note');
type Noted = { [NOTE]?: RequestNote };

/** Notes something about the request for its log line; a no-op when nothing logs. */
export function noteRequest(c: Context, field: keyof RequestNote, value: string): void {
  const env: unknown = c.env;
  const note = typeof env === 'object' && env !== null ? (env as Noted)[NOTE] : undefined;
  if (note) note[field] = value;
}

/**
 * Logs every request `app` answers, `app.request()` included. Around `fetch`, not as a middleware:
 * a middleware is one more async step for every request, and a Hono context variable a Map.
 */
export function logRequests(app: Hono, log: (entry: RequestLogEntry) => void): void {
  const dispatch = app.fetch;
  const written = (request: Request, env: unknown, started: number, note: RequestNote, response: Response) => {
    const entry: RequestLogEntry = {
      method: request.method,
      path: getPath(request),
      status: clientStatusOf(env, request) ?? response.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (note.command) entry.command = note.command;
    if (note.errorCode) entry.errorCode = note.errorCode;
    log(entry);
    return response;
  };
  app.fetch = (request, given, executionCtx) => {
    const started = performance.now();
    const note: RequestNote = {};
    // app.request() without bindings gets an empty object, so the note has something to hang on.
    const env: Noted = typeof given === 'object' && given !== null ? given : {};
    env[NOTE] = note;
    const response = dispatch(request, env, executionCtx);
    if (!isPromise(response)) return written(request, env, started, note, response);
    return response.then((r) => written(request, env, started, note, r));
  };
}

function isPromise(value: Response | Promise<Response>): value is Promise<Response> {
  return typeof (value as { then?: unknown }).then === 'function';
}
