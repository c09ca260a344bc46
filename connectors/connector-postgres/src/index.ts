import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';
import { services } from './services.js';

/** The postgres_v2 connector: SpiffArena's PostgreSQL commands, with names quoted and values bound. */
export default defineConnector({
  name: 'postgres_v2',
  description: 'Read and write PostgreSQL tables, or run your own SQL with bound values (node-postgres).',
  commands,
  services,
});
