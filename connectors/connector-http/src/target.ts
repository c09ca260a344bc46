import type { Coerced } from '@connector-proxy/core';

/** Where a request goes: an absolute http(s) URL without credentials, and those it carried. */
export interface HttpTarget {
  url: URL;
  /** The user:password@ of the URL, percent-decoded; used as basic auth unless both are given explicitly. */
  urlAuth: { username: string; password: string } | undefined;
}

/** Reads the `url` parameter: an absolute http(s) URL, user:password@ taken out. */
export function toHttpTarget(raw: string): Coerced<HttpTarget> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, problem: 'must be an absolute URL such as https://example.com/path' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, problem: 'must start with http:// or https://' };
  }
  let urlAuth: HttpTarget['urlAuth'];
  if (url.username !== '' || url.password !== '') {
    urlAuth = { username: toUnquoted(url.username), password: toUnquoted(url.password) };
    url.username = '';
    url.password = '';
  }
  return { ok: true, value: { url, urlAuth } };
}

/** Percent-decodes as Python's `unquote`: a malformed escape stays as it is instead of failing. */
function toUnquoted(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
