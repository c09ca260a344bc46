import { type Coerced, defineServices, param } from '@connector-proxy/core';

/** Where Slack's Web API lives unless `CONNECTOR_SLACK_API_URL` says otherwise. */
export const DEFAULT_API_URL = 'https://slack.com/api';

/** connector-slack's configuration, checked when the proxy starts. */
export const services = defineServices({
  config: {
    API_URL: param
      .custom('str', toApiUrl, "Slack's Web API base URL, for a Slack-compatible service or a test server")
      .default(DEFAULT_API_URL),
  },
});

/** An absolute http(s) URL, without its trailing slash (methods are appended as `/<method>`). */
export function toApiUrl(value: unknown): Coerced<string> {
  let url: URL;
  try {
    url = new URL(String(value).trim());
  } catch {
    return { ok: false, problem: `must be an absolute URL such as ${DEFAULT_API_URL}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, problem: 'must start with https:// or http://' };
  }
  if (url.search || url.hash) return { ok: false, problem: 'must not have a query or a fragment' };
  return { ok: true, value: url.href.replace(/\/+$/, '') };
}
