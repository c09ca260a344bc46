import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';

/** The {{name}} connector; the proxy lists its commands as {{name}}/<Command>. */
export default defineConnector({
  name: '{{name}}',
  description: 'Connects SpiffArena service tasks to {{name}}.',
  commands,
});
