import { type Coerced, defineServices, param } from '@connector-proxy/core';

/** The OpenAI API, used unless `CONNECTOR_AI_API_BASE` or `api_base` names another. */
export const DEFAULT_API_BASE = 'https://api.openai.com/v1';

/** connector-ai's configuration, checked when the proxy starts; the key is a secret, masked like one. */
export const services = defineServices({
  config: {
    API_BASE: param
      .custom('str', toApiBase, 'Base URL of the OpenAI-compatible API (…/v1), used when a diagram gives no api_base')
      .default(DEFAULT_API_BASE),
    API_KEY: param.str('API key for API_BASE, used when a diagram gives no api_key').secret().optional(),
  },
});

/** An absolute http(s) base URL without query, fragment or trailing slash (`/chat/completions` is appended). */
export function toApiBase(value: unknown): Coerced<string> {
  let url: URL;
  try {
    url = new URL(String(value).trim());
  } catch {
    return { ok: false, problem: `must be an absolute URL such as ${DEFAULT_API_BASE}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: 'must start with https:// or http://' };
  }
  if (url.search || url.hash) return { ok: false, problem: 'must not have a query or a fragment' };
  if (url.username || url.password) return { ok: false, problem: 'must not hold credentials: use the API key' };
  return { ok: true, value: url.href.replace(/\/+$/, '') };
}
