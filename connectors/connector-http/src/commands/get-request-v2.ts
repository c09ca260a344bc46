import { defineCommand } from '@connector-proxy/core';
import { HTTP_ERRORS, HTTP_RESULT } from '../declarations.js';
import { runRequestV2 } from '../families.js';
import { attempts, basicAuthPassword, basicAuthUsername, headers, query, url } from '../params.js';
import { services } from '../services.js';

/** GET with the Python connector's V2 contract; retries 5xx, 429 and network failures. */
export const GetRequestV2 = defineCommand({
  description: 'Send a GET request; the response body comes back as JSON. Retries up to `attempts` times.',
  services,
  result: HTTP_RESULT,
  errors: HTTP_ERRORS,
  params: {
    url,
    headers,
    params: query,
    basic_auth_username: basicAuthUsername,
    basic_auth_password: basicAuthPassword,
    attempts,
  },
  run: (args, context) => runRequestV2('GET', args, context),
});
