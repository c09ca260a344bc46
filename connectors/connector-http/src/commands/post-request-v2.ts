import { defineCommand } from '@connector-proxy/core';
import { HTTP_ERRORS, HTTP_RESULT } from '../declarations.js';
import { runRequestV2 } from '../families.js';
import { attempts, basicAuthPassword, basicAuthUsername, headers, jsonData, url } from '../params.js';
import { services } from '../services.js';

/** POST with the Python connector's V2 contract: data as JSON, `{}` when empty. */
export const PostRequestV2 = defineCommand({
  description: 'Send a POST request with data as a JSON body ({} when empty); the response body comes back as JSON.',
  services,
  result: HTTP_RESULT,
  errors: HTTP_ERRORS,
  params: {
    url,
    headers,
    data: jsonData,
    basic_auth_username: basicAuthUsername,
    basic_auth_password: basicAuthPassword,
    attempts,
  },
  run: (args, context) => runRequestV2('POST', args, context),
});
