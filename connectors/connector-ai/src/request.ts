import { type CommandContext, CommandError, ErrorCode, isPlainObject } from '@connector-proxy/core';

/** The parameters of `ai/LlmRequest`. */
export interface LlmArgs {
  model: string;
  messages: unknown;
  tools?: unknown;
  api_key?: string | undefined;
  api_base?: string | undefined;
  options?: unknown;
}

/** The configuration `ai/LlmRequest` reads. */
export interface AiConfig {
  API_BASE: string;
  API_KEY?: string | undefined;
}

const HEADER_SAFE = /^[!-~]+$/;

// Fields the command sets itself; `stream` would answer server-sent events, not one JSON completion.
const RESERVED_OPTIONS = new Set(['model', 'messages', 'tools', 'stream']);

/** The Chat Completions request body: model, messages, tools when given, then the extra options. */
export function toChatRequest(args: LlmArgs): Record<string, unknown> {
  const model = args.model.trim();
  if (!model) throw invalid('model must not be empty');
  const request: Record<string, unknown> = { model, messages: toMessages(args.messages) };
  const tools = toTools(args.tools);
  if (tools) request.tools = tools;
  if (args.options !== undefined) {
    if (!isPlainObject(args.options)) throw invalid('options must be an object of Chat Completions fields');
    for (const [key, value] of Object.entries(args.options)) {
      if (key === 'stream' && value === false) continue;
      if (RESERVED_OPTIONS.has(key)) throw invalid(`options.${key} is not allowed: ${reason(key)}`);
      request[key] = value;
    }
  }
  return request;
}

function reason(key: string): string {
  return key === 'stream' ? 'the command answers with one whole completion' : `use the ${key} parameter`;
}

/** A list of messages with a text `role` each; one text is the user's single message. */
function toMessages(value: unknown): unknown[] {
  if (typeof value === 'string') {
    if (!value.trim()) throw invalid('messages must not be empty');
    return [{ role: 'user', content: value }];
  }
  if (!Array.isArray(value)) throw invalid('messages must be a list of {"role", "content"} objects, or a text');
  if (value.length === 0) throw invalid('messages must hold at least one message');
  const bad = value.findIndex((message) => !isPlainObject(message) || typeof message.role !== 'string');
  if (bad >= 0) throw invalid(`messages[${bad}] must be an object with a text "role" (system, user, assistant, tool)`);
  return value;
}

/** `tools` as a list of objects with a `type`; none (or an empty list, which APIs refuse) is left out. */
function toTools(value: unknown): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalid('tools must be a list of {"type": "function", "function": {...}} objects');
  const bad = value.findIndex((tool) => !isPlainObject(tool) || typeof tool.type !== 'string');
  if (bad >= 0) throw invalid(`tools[${bad}] must be an object with a "type", such as "function"`);
  return value.length > 0 ? value : undefined;
}

/**
 * Where to send and with which key. The configured key (`CONNECTOR_AI_API_KEY`) goes only to the
 * configured base (`CONNECTOR_AI_API_BASE`): a diagram that names another `api_base` must bring
 * its own `api_key`, so that it cannot send the proxy's key to a server of its choosing.
 */
export function toEndpoint(
  args: LlmArgs,
  context: CommandContext<unknown, AiConfig>,
): { url: URL; apiKey: string | undefined } {
  const { API_BASE: configured, API_KEY: configuredKey } = context.config;
  const base = args.api_base ?? configured;
  let apiKey = args.api_key || undefined;
  // The key goes into a header: a line break or a control character there could never be sent.
  if (apiKey !== undefined && !HEADER_SAFE.test(apiKey)) {
    throw invalid('api_key must be printable text without spaces or line breaks');
  }
  if (apiKey === undefined) {
    if (base === configured) apiKey = configuredKey || undefined;
    else if (configuredKey) context.log('the configured API key is not sent to another api_base: give api_key');
  }
  return { url: new URL(`${base}/chat/completions`), apiKey };
}

function invalid(problem: string): CommandError {
  return new CommandError(ErrorCode.InvalidParameters, `invalid parameters: ${problem}`, { httpStatus: 400 });
}
