import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';
import { services } from './services.js';

/** The ai connector: SpiffArena's `ai/LlmRequest`, one Chat Completions call to an OpenAI-compatible API. */
export default defineConnector({
  name: 'ai',
  description: 'Ask a large language model through any OpenAI-compatible Chat Completions API.',
  commands,
  services,
});
