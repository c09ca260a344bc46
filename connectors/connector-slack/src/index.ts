import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';
import { services } from './services.js';

/** The slack connector: the Python connector-slack's `PostMessage`. */
export default defineConnector({
  name: 'slack',
  description: 'Post messages to Slack channels and threads.',
  commands,
  services,
});
