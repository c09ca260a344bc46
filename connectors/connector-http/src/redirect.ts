import { toSortedHeaders } from './headers.js';
import type { HttpAnswer } from './response.js';
import type { WireRequest } from './transport.js';

/** The most redirects followed in one call: the default of Python's `requests` (`max_redirects`). */
export const MAX_REDIRECTS = 30;

/** Thrown when an answer is still a redirect after {@link MAX_REDIRECTS} of them. */
export class TooManyRedirectsError extends Error {
  override readonly name = 'TooManyRedirects';
}

/** How a call follows redirects. */
export interface RedirectOptions {
  /** Sends one request; never follows redirects itself. */
  send: (request: WireRequest) => Promise<HttpAnswer>;
  /** Called before each redirect is followed. */
  onRedirect: (target: URL, status: number) => void;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Methods that announce an empty body (Content-Length: 0) when a redirect drops theirs, as urllib3 does.
const EXPECTS_BODY = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Sends a request and follows its redirects as Python's `requests` does: 302 and 303 become a
 * GET (a HEAD stays a HEAD), a 301 after a POST becomes a GET, and every redirect but 307 and
 * 308 drops the body with its Content-Type. Credentials are dropped on the way to another
 * host. The answer that is no redirect is returned.
 */
export async function sendFollowingRedirects(first: WireRequest, options: RedirectOptions): Promise<HttpAnswer> {
  let request = first;
  for (let redirects = 0; ; redirects += 1) {
    const answer = await options.send(request);
    const target = toRedirectTarget(answer, request.url);
    if (target === undefined) return answer;
    if (redirects >= MAX_REDIRECTS) throw new TooManyRedirectsError(`Exceeded ${MAX_REDIRECTS} redirects`);
    options.onRedirect(target, answer.status);
    request = toRedirectedRequest(request, answer.status, target);
  }
}

/** Where a redirect points, resolved against the URL that answered; undefined for any other answer. */
function toRedirectTarget(answer: HttpAnswer, from: URL): URL | undefined {
  // The status first: looking a header up scans the answer's headers.
  if (!REDIRECT_STATUSES.has(answer.status)) return undefined;
  const location = answer.headers.get('location');
  if (!location) return undefined;
  // Header values arrive as Latin-1; servers send UTF-8 in Location more often (requests re-reads it so too).
  const target = new URL(Buffer.from(location, 'latin1').toString('utf8'), from);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new Error(`redirected to a ${target.protocol} URL, which is not http(s)`);
  }
  return target;
}

/** The next request of a redirect: requests' `rebuild_method`, its header purge and `rebuild_auth`. */
function toRedirectedRequest(request: WireRequest, status: number, target: URL): WireRequest {
  // A spread defines own properties: a `__proto__` header is copied as a header.
  const headers: Record<string, string> = { ...request.headers };
  let { method, body } = request;
  if ((status === 302 || status === 303) && method !== 'HEAD') method = 'GET';
  if (status === 301 && method === 'POST') method = 'GET';
  if (status !== 307 && status !== 308) {
    body = undefined;
    for (const name of ['content-type', 'content-length', 'transfer-encoding']) delete headers[name];
    if (EXPECTS_BODY.has(method)) headers['content-length'] = '0';
  }
  if (isAnotherOrigin(request.url, target)) {
    delete headers.authorization;
    delete headers.cookie;
  }
  return { method, url: target, headers: toSortedHeaders(headers), body };
}

/**
 * requests' `should_strip_auth`: another host, scheme or port, except that http -> https on the
 * default ports counts as the same place.
 */
function isAnotherOrigin(from: URL, to: URL): boolean {
  if (from.hostname !== to.hostname) return true;
  if (from.protocol === 'http:' && from.port === '' && to.protocol === 'https:' && to.port === '') return false;
  return from.protocol !== to.protocol || from.port !== to.port;
}
