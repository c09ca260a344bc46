import { defineCommand } from '@connector-proxy/core';
import { HTTP_ERRORS, HTTP_RESULT } from '../declarations.js';
import { runRequest } from '../families.js';
import {
  basicAuthPassword,
  basicAuthUsername,
  bodyFormat,
  data,
  headers,
  includeResponseHeaders,
  url,
} from '../params.js';
import { services } from '../services.js';

/** DELETE with the modern contract of PROTOCOL.md: data sent as body_format says, one attempt. */
export const DeleteRequest = defineCommand({
  description:
    'Send a DELETE request with data as JSON, form, raw text or nothing; the response body comes back as JSON.',
  services,
  result: HTTP_RESULT,
  errors: HTTP_ERRORS,
  params: {
    url,
    headers,
    basic_auth_username: basicAuthUsername,
    basic_auth_password: basicAuthPassword,
    data,
    body_format: bodyFormat,
    include_response_headers: includeResponseHeaders,
  },
  run: (args, context) => runRequest('DELETE', args, context),
});
