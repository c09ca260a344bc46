import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';

/** The rand connector: SpiffArena's `rand/Number`, a random whole number from 1 to `max`. */
export default defineConnector({
  name: 'rand',
  description: 'Random whole numbers from a cryptographically secure source.',
  commands,
});
