import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';

/** The example connector: the smallest complete connector, and the benchmark's command. */
export default defineConnector({
  name: 'example',
  description: 'Echoes a message back; a template for new connectors.',
  commands,
});
