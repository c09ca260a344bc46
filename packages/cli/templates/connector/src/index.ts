import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';

/** The __NAME__ connector; the proxy lists its commands as __NAME__/<Command>. */
export default defineConnector({
  name: '__NAME__',
  description: 'Talks to __NAME__ from SpiffArena service tasks.',
  commands,
});
