import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';
import { services } from './services.js';

/** The http connector: the GetRequest and GetRequestV2 families of the Python connector-http. */
export default defineConnector({
  name: 'http',
  description: 'Call HTTP APIs: GET, HEAD, POST, PUT, PATCH and DELETE, with JSON, XML and text responses.',
  commands,
  services,
});
