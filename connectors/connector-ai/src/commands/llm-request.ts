import { defineCommand, param } from '@connector-proxy/core';
import { createCompletion } from '../chat.js';
import { toChatRequest, toEndpoint } from '../request.js';

/** SpiffArena's `ai/LlmRequest`: one Chat Completions call to an OpenAI-compatible API. */
export const LlmRequest = defineCommand({
  description:
    'Ask a language model: one Chat Completions call; the body is the completion (choices, usage, tool calls).',
  params: {
    model: param.str('The model, as the API names it (gpt-4o-mini, llama3.1 …)'),
    messages: param.any('The conversation: a list of {"role", "content"} messages, or one text sent as the user'),
    tools: param.any('Tools the model may call: a list of {"type": "function", "function": {…}}').optional(),
    api_key: param.str('API key; defaults to CONNECTOR_AI_API_KEY for the configured API base').secret().optional(),
    api_base: param.str('API base URL such as https://api.openai.com/v1; defaults to CONNECTOR_AI_API_BASE').optional(),
    options: param
      .any('More Chat Completions fields, such as {"temperature": 0.2, "max_tokens": 500, "tool_choice": "auto"}')
      .optional(),
  },
  run(args, context) {
    const request = toChatRequest(args);
    const { url, apiKey } = toEndpoint(args, context);
    return createCompletion({ url, apiKey, request }, context);
  },
});
