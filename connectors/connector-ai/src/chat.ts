import {
  type CommandContext,
  CommandError,
  type CommandResult,
  isJsonObject,
  isPlainObject,
  parseJson,
  stringifyJson,
} from '@connector-proxy/core';
import { type HttpAnswer, NETWORK_FAILURE_STATUS, postJson } from './transport.js';

/** The code of a 2xx answer that is not a JSON object. */
export const INVALID_RESPONSE = 'InvalidResponse';
/** How much of an unreadable error answer the message quotes. */
const MAX_QUOTED = 500;

/** One Chat Completions call, ready to send. */
export interface ChatCall {
  /** `<api base>/chat/completions`. */
  url: URL;
  apiKey: string | undefined;
  request: Record<string, unknown>;
}

/**
 * Sends one Chat Completions request and answers with the completion as the body. A status of
 * 400 or more is `HttpError<status>` with the API's own message (OpenAI's `error.message`).
 */
export async function createCompletion(call: ChatCall, context: CommandContext): Promise<CommandResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
  const where = `POST ${call.url.origin}${call.url.pathname}`;
  context.log(`will call ${where} with model ${String(call.request.model)}${call.apiKey ? '' : ' (no API key)'}`);
  // Exact numbers (a seed, ids in tool arguments) keep their digits both ways.
  const answer = await postJson(
    call.url,
    headers,
    stringifyJson(call.request, { name: 'the request' }),
    context.signal,
  );
  context.log(`did call ${where}: status ${answer.status}`);
  const parsed = readJson(answer.text);
  if (answer.status >= 400) {
    throw new CommandError(
      `HttpError${answer.status}`,
      `HTTP ${answer.status} from ${where}: ${toApiMessage(parsed, answer)}`,
      {
        httpStatus: answer.status,
        ...(parsed === undefined ? {} : { body: parsed }),
      },
    );
  }
  if (!isJsonObject(parsed)) {
    throw new CommandError(
      INVALID_RESPONSE,
      `the answer from ${where} is not a JSON object (status ${answer.status})`,
      {
        httpStatus: NETWORK_FAILURE_STATUS,
      },
    );
  }
  logSummary(parsed, context);
  return { body: parsed, mimetype: 'application/json', httpStatus: answer.status };
}

/** The upstream's own explanation: OpenAI's `error.message`, other servers' `error`, `message` or `detail`. */
export function toApiMessage(parsed: unknown, answer: HttpAnswer): string {
  if (isPlainObject(parsed)) {
    const { error } = parsed;
    if (isPlainObject(error) && typeof error.message === 'string' && error.message) return error.message;
    for (const value of [error, parsed.message, parsed.detail]) {
      if (typeof value === 'string' && value) return value;
    }
  }
  const text = answer.text.trim();
  if (!text) return 'no explanation in the answer';
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

function readJson(text: string): unknown {
  const parsed = parseJson(text);
  return parsed.ok ? parsed.value : undefined;
}

/** One line about the completion (finish reasons, tool calls, tokens), never its content. */
function logSummary(completion: Record<string, unknown>, context: CommandContext): void {
  const choices = Array.isArray(completion.choices) ? completion.choices.filter(isPlainObject) : [];
  const reasons = choices.map((choice) => String(choice.finish_reason ?? 'none'));
  const toolCalls = choices.reduce((count, choice) => {
    const message = choice.message;
    return count + (isPlainObject(message) && Array.isArray(message.tool_calls) ? message.tool_calls.length : 0);
  }, 0);
  const usage = isPlainObject(completion.usage) ? completion.usage.total_tokens : undefined;
  const parts = [`${choices.length} choice${choices.length === 1 ? '' : 's'}`];
  if (reasons.length > 0) parts.push(`finish_reason ${reasons.join(', ')}`);
  if (toolCalls > 0) parts.push(`${toolCalls} tool call${toolCalls === 1 ? '' : 's'}`);
  if (typeof usage === 'number') parts.push(`${usage} tokens`);
  context.log(`completion: ${parts.join(', ')}`);
}
