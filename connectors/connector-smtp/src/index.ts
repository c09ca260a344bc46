import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';
import { services } from './services.js';

/** The smtp connector: sends email from a workflow through any SMTP server. */
export default defineConnector({
  name: 'smtp',
  description: 'Send email through an SMTP server (nodemailer).',
  commands,
  services,
});
