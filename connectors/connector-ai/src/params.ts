import { type Coerced, isJsonObject, kindOf, param, shape } from '@connector-proxy/core';
import { toApiBase } from './services.js';

const HEADER_SAFE = /^[!-~]+$/;

/** Messages: a list of objects with a text `role` (the rest passes as it is), or one text. */
const MESSAGE_LIST = shape.array(
  shape.object(
    { role: shape.str() },
    { additional: true, expected: 'a message object such as {"role": "user", "content": "…"}' },
  ),
);

/** The conversation; one text becomes the user's single message. Never empty. */
export const messages = param
  .union([MESSAGE_LIST, shape.str()], { expected: 'a list of {"role", "content"} messages, or a text' })
  .refine((value): Coerced<unknown[]> => {
    if (typeof value === 'string') {
      return value.trim() ? { ok: true, value: [{ role: 'user', content: value }] } : refused('must not be empty');
    }
    return value.length > 0 ? { ok: true, value } : refused('must hold at least one message');
  })
  .describe('The conversation: a list of {"role", "content"} messages, or one text sent as the user');

/** Tools the model may call; an empty list is left out (APIs refuse `[]`). */
export const tools = param
  .array(
    shape.object(
      { type: shape.str() },
      { additional: true, expected: 'a tool object such as {"type": "function", "function": {…}}' },
    ),
  )
  .refine((value): Coerced<unknown[] | undefined> => ({ ok: true, value: value.length > 0 ? value : undefined }))
  .describe('Tools the model may call: a list of {"type": "function", "function": {…}}')
  .optional();

/** The key: a secret that goes into a header, so no space, line break or other control character. */
export const apiKey = param
  .str('API key; defaults to CONNECTOR_AI_API_KEY for the configured API base')
  .secret()
  .refine(
    (value): Coerced<string> =>
      HEADER_SAFE.test(value) ? { ok: true, value } : refused('must be printable text without spaces or line breaks'),
  )
  .optional();

/** Another OpenAI-compatible API for this call. */
export const apiBase = param
  .custom('str', toApiBase, 'API base URL such as https://api.openai.com/v1; defaults to CONNECTOR_AI_API_BASE')
  .optional();

// Fields the command sets itself; `stream` would answer server-sent events, not one JSON completion.
const RESERVED = new Set(['model', 'messages', 'tools', 'stream']);

/** More Chat Completions fields, copied into the request (`stream: false` is accepted and left out). */
export const options = param
  .any('More Chat Completions fields, such as {"temperature": 0.2, "max_tokens": 500, "tool_choice": "auto"}')
  .refine((value): Coerced<Record<string, unknown>> => {
    if (!isJsonObject(value)) return refused(`must be an object of Chat Completions fields, got ${kindOf(value)}`);
    const fields: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      if (key === 'stream' && member === false) continue;
      if (RESERVED.has(key)) {
        const reason = key === 'stream' ? 'the command answers with one whole completion' : `use the ${key} parameter`;
        return refused(`must not set ${key}: ${reason}`);
      }
      Object.defineProperty(fields, key, { value: member, enumerable: true, writable: true, configurable: true });
    }
    return { ok: true, value: fields };
  })
  .withSchema({ type: 'object' })
  .optional();

function refused<T>(problem: string): Coerced<T> {
  return { ok: false, problem };
}
