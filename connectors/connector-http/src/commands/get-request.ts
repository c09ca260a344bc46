import { defineCommand } from '@connector-proxy/core';
import { HTTP_ERRORS, HTTP_RESULT } from '../declarations.js';
import { runRequest } from '../families.js';
import { basicAuthPassword, basicAuthUsername, headers, includeResponseHeaders, query, url } from '../params.js';
import { services } from '../services.js';

/** GET with the modern contract of PROTOCOL.md (one attempt, optional response headers). */
export const GetRequest = defineCommand({
  description: 'Send a GET request; the response body comes back as JSON, the headers on request.',
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
  run: (args, context) => runRequest('GET', args, context),
});
