/** The result of checking a callback URL against the allowed origins. */
export type OriginCheck = { ok: true; url: URL } | { ok: false; problem: string };

/**
 * Normalizes one configured origin (`https://arena.example.com`); throws a one-line Error for
 * anything that is not a bare http(s) origin, so a typo stops startup instead of refusing callbacks.
 */
export function toOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${JSON.stringify(text)} is not an origin like https://arena.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${JSON.stringify(text)} is not an http or https origin`);
  }
  if (url.username || url.password || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new Error(`${JSON.stringify(text)} must be an origin only (scheme, host and port), without a path`);
  }
  return url.origin;
}

/** Builds the check of a request's callback URL: an http(s) URL whose origin is one of `origins`. */
export function createOriginCheck(origins: readonly string[]): (callbackUrl: string) => OriginCheck {
  const allowed = new Set(origins.map(toOrigin));
  const list = [...allowed].join(', ');
  return (callbackUrl) => {
    let url: URL;
    try {
      url = new URL(callbackUrl);
    } catch {
      return { ok: false, problem: 'the callback URL (spiff__callback_url) is not a URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return { ok: false, problem: 'the callback URL (spiff__callback_url) is not an http or https URL' };
    }
    if (url.username || url.password) {
      return { ok: false, problem: 'the callback URL (spiff__callback_url) must not carry a user name or password' };
    }
    if (!allowed.has(url.origin)) {
      return {
        ok: false,
        problem: `the callback URL's origin ${url.origin} is not in CONNECTOR_PROXY_CALLBACK_ORIGINS (${list}); the result would not be delivered there`,
      };
    }
    return { ok: true, url };
  };
}
