import { defineCommand } from '@connector-proxy/core';
import { HTTP_ERRORS, HTTP_RESULT } from '../declarations.js';
import { runRequestV2 } from '../families.js';
import { attempts, basicAuthPassword, basicAuthUsername, headers, jsonData, query, url } from '../params.js';
import { services } from '../services.js';

/** DELETE with the Python connector's V2 contract; a JSON body only when data is given. */
export const DeleteRequestV2 = defineCommand({
  description: 'Send a DELETE request (JSON body when data is given); the response body comes back as JSON.',
  services,
  result: HTTP_RESULT,
  errors: HTTP_ERRORS,
  params: {
    url,
    headers,
    params: query,
    data: jsonData,
    basic_auth_username: basicAuthUsername,
    basic_auth_password: basicAuthPassword,
    attempts,
  },
  run: (args, context) => runRequestV2('DELETE', args, context),
});
