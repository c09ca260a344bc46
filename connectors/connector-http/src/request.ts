import { CommandError, type CommandResult, ErrorCode } from '@connector-proxy/core';
import { CallAbort } from './abort.js';
import type { RequestBody } from './body.js';
import { setHeader, toHeaderValue, toSortedHeaders } from './headers.js';
import { sendFollowingRedirects, TooManyRedirectsError } from './redirect.js';
import { type HttpAnswer, toCommandResult, toErrorMessage } from './response.js';
import { isRetryableStatus, MAX_RETRY_AFTER_MS, sleep, toRetryDelayMs } from './retry.js';
import type { HttpContext } from './services.js';
import { toPairs } from './shapes.js';
import type { HttpTarget } from './target.js';
import { ResponseTooLargeError, sendOnce, type WireRequest } from './transport.js';
import { describeTlsFailure } from './trust.js';

/** The methods the http commands use. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One HTTP call as a command asks for it, from parameters core has already checked. */
export interface HttpCall {
  method: HttpMethod;
  target: HttpTarget;
  headers: Readonly<Record<string, string>> | undefined;
  query: Readonly<Record<string, readonly string[]>> | undefined;
  body: RequestBody | undefined;
  username: string | undefined;
  password: string | undefined;
  attempts: number;
  includeResponseHeaders: boolean;
}

/**
 * Header and query parameter names whose values are credentials even though no parameter is marked
 * secret (`Authorization`, `Cookie`, `X-Api-Key`, `access_token` ...): masked wherever the answer leaves.
 */
const CREDENTIAL_NAME =
  /^(authorization|proxy-authorization|cookie)$|api[-_]?key|token|secret|passw(or)?d|signature|credential|session/i;

/** Network failures and timeouts get a 5xx status, so SpiffArena's retry policy may try again. */
export const NETWORK_FAILURE_STATUS = 502;

/** The User-Agent sent unless the caller sets one. */
export const DEFAULT_USER_AGENT = 'spiffworkflow-connector-proxy (connector-http)';

// What requests sends by default, with our own User-Agent; the caller's headers win.
// In name order, so that a call without headers of its own needs no sorting.
const DEFAULT_HEADERS: readonly [string, string][] = [
  ['accept', '*/*'],
  ['accept-encoding', 'gzip, deflate'],
  ['user-agent', DEFAULT_USER_AGENT],
];

// Headers the HTTP client computes itself.
const MANAGED_HEADERS = new Set([
  'connection',
  'content-length',
  'expect',
  'host',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Makes the call, retrying as `attempts` allows, and turns the answer into the command's
 * result. Logs narrate it without header values, credentials, the query string or the body.
 */
export async function sendRequest(call: HttpCall, context: HttpContext): Promise<CommandResult> {
  const { urlAuth } = call.target;
  const url = withQuery(call.target.url, call.query);
  // Reading searchParams builds a URLSearchParams: only when there is a query.
  if (url.search !== '') {
    for (const [name, value] of url.searchParams) if (CREDENTIAL_NAME.test(name)) context.redact(value);
  }
  const headers = toRequestHeaders(call, context);
  // As requests: explicit credentials only when both are given, else those in the URL.
  const auth =
    call.username !== undefined && call.password !== undefined
      ? { username: call.username, password: call.password }
      : urlAuth;
  if (urlAuth) context.redact(urlAuth.password);
  if (auth) {
    const credentials = toBasicAuth(auth.username, auth.password);
    context.redact(credentials);
    context.redact(credentials.slice('Basic '.length));
    headers.authorization = credentials;
    context.log('will use basic auth');
  }
  // Also for an http:// URL, which may redirect to https.
  const { httpsAgent } = context.services;
  const where = `${call.method} ${toLoggableUrl(url)}`;
  context.log(`will call ${where}`);
  const request: WireRequest = { method: call.method, url, headers: toSortedHeaders(headers), body: call.body?.text };
  const abort = new CallAbort(context);
  try {
    const options = { abort, httpsAgent, maxBytes: context.config.MAX_RESPONSE_BYTES };
    const send = (next: WireRequest) => sendOnce(next, options);
    const answer = await callWithRetries(call.attempts, request, { send, where, context, abort });
    return toCommandResult(answer, { method: call.method, where, includeHeaders: call.includeResponseHeaders });
  } finally {
    abort.dispose();
  }
}

/** What every attempt of one call shares. */
interface CallPlan {
  /** Sends one request on the wire, with the call's signal and https agent. */
  send: (request: WireRequest) => Promise<HttpAnswer>;
  /** `METHOD url` as the logs show it. */
  where: string;
  context: HttpContext;
  abort: CallAbort;
}

async function callWithRetries(attempts: number, request: WireRequest, plan: CallPlan): Promise<HttpAnswer> {
  const { context } = plan;
  for (let attempt = 1; ; attempt += 1) {
    context.log(`attempt ${attempt} of ${attempts}`);
    const outcome = await callOnce(request, plan);
    const failed = outcome instanceof CommandError;
    if (attempt >= attempts || (!failed && !isRetryableStatus(outcome.status))) {
      if (failed) throw outcome;
      return outcome;
    }
    const wait = toRetryDelayMs(attempt, failed ? null : outcome.headers.get('retry-after'));
    if (wait === undefined) {
      context.log(`will not retry: Retry-After asks for more than ${MAX_RETRY_AFTER_MS / 1000} s`);
      if (failed) throw outcome;
      return outcome;
    }
    if (Date.now() + wait >= context.deadline) {
      context.log(`will not retry: waiting ${(wait / 1000).toFixed(1)} s would pass the command's deadline`);
      if (failed) throw outcome;
      return outcome;
    }
    context.log(`will retry in ${(wait / 1000).toFixed(1)} s`);
    try {
      await sleep(wait, plan.abort.signal);
    } catch {
      throw toDeadlineError();
    }
  }
}

/** One attempt, redirects included: the answer with its body read, or the network failure as a CommandError. */
async function callOnce(request: WireRequest, { send, where, context, abort }: CallPlan) {
  try {
    // As requests.head(): a HEAD answers with the redirect itself, never follows it.
    const answer =
      request.method === 'HEAD'
        ? await send(request)
        : await sendFollowingRedirects(request, {
            send,
            onRedirect: (target, status) =>
              context.log(`was redirected to ${toLoggableUrl(target)} (status ${status})`),
          });
    context.log(`did call ${where}: status ${answer.status}`);
    return answer;
  } catch (error) {
    if (abort.aborted) throw toDeadlineError();
    if (error instanceof ResponseTooLargeError) {
      // Not retried: the same resource would be as large the next time.
      context.log(`did call ${where}: ResponseTooLarge`);
      throw new CommandError('ResponseTooLarge', `${error.message} (${where})`, {
        httpStatus: NETWORK_FAILURE_STATUS,
        cause: error,
      });
    }
    const detail = describeFailure(error);
    // Named as Python's requests names these failures.
    const code = error instanceof TooManyRedirectsError ? 'TooManyRedirects' : 'ConnectionError';
    context.log(`did call ${where}: ${code} (${detail})`);
    return new CommandError(code, toErrorMessage(`${detail} (${where})`), {
      httpStatus: NETWORK_FAILURE_STATUS,
      cause: error,
    });
  }
}

/**
 * The URL with the query parameters added after any it already has: a copy then, the target
 * stays as it was. Without parameters the target itself, which nothing on the way changes.
 */
function withQuery(target: URL, query: HttpCall['query']): URL {
  const pairs = toPairs(query);
  if (pairs.length === 0) return target;
  const url = new URL(target);
  const extra = new URLSearchParams(pairs).toString();
  url.search = url.search ? `${url.search}&${extra}` : extra;
  return url;
}

/**
 * The headers of the first request by lower-case name: the caller's (the last of names that
 * differ only in case wins, values trimmed, as `Headers.set` did), then the defaults they left
 * out, then Content-Length.
 */
function toRequestHeaders(call: HttpCall, context: HttpContext): Record<string, string> {
  const headers: Record<string, string> = {};
  if (call.headers) {
    for (const [name, value] of Object.entries(call.headers)) {
      const key = name.toLowerCase();
      if (MANAGED_HEADERS.has(key)) {
        context.log(`ignored header ${name}: the HTTP client sets it`);
        continue;
      }
      if (CREDENTIAL_NAME.test(name)) context.redact(value);
      setHeader(headers, key, toHeaderValue(value));
    }
  }
  if (call.body && headers['content-type'] === undefined) headers['content-type'] = call.body.contentType;
  for (const [name, value] of DEFAULT_HEADERS) if (headers[name] === undefined) headers[name] = value;
  // As requests: the body's length, and 0 for a method other than GET and HEAD without one.
  if (call.body) headers['content-length'] = String(Buffer.byteLength(call.body.text));
  else if (call.method !== 'GET' && call.method !== 'HEAD') headers['content-length'] = '0';
  return headers;
}

/**
 * The Basic credentials header as `requests` writes it: `user:password` in Latin-1 when every
 * character fits (so a server sees the same bytes as from the Python connector), else UTF-8
 * (where Python fails with UnicodeEncodeError).
 */
export function toBasicAuth(username: string, password: string): string {
  const pair = `${username}:${password}`;
  const fitsLatin1 = [...pair].every((char) => (char.codePointAt(0) ?? 0) <= 0xff);
  return `Basic ${Buffer.from(pair, fitsLatin1 ? 'latin1' : 'utf8').toString('base64')}`;
}

/** The URL without credentials, query or fragment, which may carry secrets. */
function toLoggableUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function toDeadlineError(): CommandError {
  return new CommandError(ErrorCode.CommandTimeout, 'the HTTP call was stopped at the command deadline', {
    httpStatus: 504,
  });
}

/** The root cause of a fetch failure ("connect ECONNREFUSED 127.0.0.1:9"), not just "fetch failed". */
function describeFailure(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause !== undefined) current = current.cause;
  if (current instanceof AggregateError && current.errors.length > 0) {
    return current.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner))).join('; ');
  }
  if (current instanceof Error) return describeTlsFailure(current) ?? (current.message || current.name);
  return String(current);
}
