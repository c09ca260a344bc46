import { defineCommand, param } from '@connector-proxy/core';
import { createCompletion, INVALID_RESPONSE } from '../chat.js';
import { apiBase, apiKey, messages, options, tools } from '../params.js';
import { toChatRequest, toEndpoint } from '../request.js';
import { services } from '../services.js';

/** SpiffArena's `ai/LlmRequest`: one Chat Completions call to an OpenAI-compatible API. */
export const LlmRequest = defineCommand({
  description:
    'Ask a language model: one Chat Completions call; the body is the completion (choices, usage, tool calls).',
  services,
  params: {
    model: param.str('The model, as the API names it (gpt-4o-mini, llama3.1 …)'),
    messages,
    tools,
    api_key: apiKey,
    api_base: apiBase,
    options,
  },
  // A completion can take minutes; it has no side effect, so it may run again after a crash.
  longRunning: true,
  idempotent: true,
  result: {
    description:
      'The Chat Completions answer as the API gave it: id, model, choices (message, tool_calls, finish_reason), usage.',
    schema: {
      type: 'object',
      required: ['choices'],
      properties: {
        id: { type: 'string' },
        model: { type: 'string' },
        choices: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              index: { type: 'integer' },
              message: {
                type: 'object',
                properties: {
                  role: { type: 'string' },
                  content: { type: ['string', 'null'] },
                  tool_calls: { type: 'array', items: { type: 'object' } },
                },
              },
              finish_reason: { type: ['string', 'null'] },
            },
          },
        },
        usage: { type: 'object' },
      },
    },
  },
  errors: {
    // Any status of 400 or more is HttpError<status>; these are the ones the APIs use.
    HttpError400: "The API refused the request (a bad message list, tool or option); the message is the API's own.",
    HttpError401: 'The API key is missing or refused.',
    HttpError403: 'The key may not use this model or endpoint.',
    HttpError404: 'The model (or the API base URL) is not known to the API.',
    HttpError429: 'A rate limit or quota was reached (SpiffArena retries a 429).',
    HttpError500: 'The API failed (SpiffArena retries a 5xx).',
    HttpError503: 'The API is overloaded or down (SpiffArena retries a 5xx).',
    [INVALID_RESPONSE]: 'The API answered 2xx with something that is not a JSON object (http_status 502).',
    ConnectionError: 'The API could not be reached (http_status 502).',
    ResponseTooLarge: 'The answer is larger than 20 MiB (http_status 502).',
  },
  run(args, context) {
    const request = toChatRequest(args);
    const { url, apiKey } = toEndpoint(args, context);
    return createCompletion({ url, apiKey, request }, context);
  },
});
