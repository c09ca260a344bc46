import { CommandError } from '@connector-proxy/core';

/** Where Slack's Web API lives unless `CONNECTOR_SLACK_API_URL` says otherwise. */
export const DEFAULT_API_URL = 'https://slack.com/api';

/** The API base URL from the connector's configuration, without a trailing slash. */
export function readApiUrl(config: Readonly<Record<string, string>>): string {
  const text = config.API_URL?.trim() || DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidConfiguration(`CONNECTOR_SLACK_API_URL must be an absolute URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidConfiguration('CONNECTOR_SLACK_API_URL must start with https:// or http://');
  }
  return url.href.replace(/\/+$/, '');
}

function invalidConfiguration(message: string): CommandError {
  return new CommandError('InvalidConfiguration', message, { httpStatus: 500 });
}
