import { defineCommand } from '@connector-proxy/core';
import { HTTP_ERRORS, HTTP_RESULT } from '../declarations.js';
import { runRequest } from '../families.js';
import { basicAuthPassword, basicAuthUsername, headers, includeResponseHeaders, query, url } from '../params.js';
import { services } from '../services.js';

/** HEAD with the modern contract of PROTOCOL.md (one attempt, optional response headers). */
export const HeadRequest = defineCommand({
  description: 'Send a HEAD request; the status (and headers on request) come back, the body is always empty.',
  services,
  result: HTTP_RESULT,
  errors: HTTP_ERRORS,
  params: {
    url,
    headers,
    params: query,
    basic_auth_username: basicAuthUsername,
    basic_auth_password: basicAuthPassword,
    include_response_headers: includeResponseHeaders,
  },
  run: (args, context) => runRequest('HEAD', args, context),
});
