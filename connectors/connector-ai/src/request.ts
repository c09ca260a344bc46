import { type CommandContext, CommandError, ErrorCode } from '@connector-proxy/core';

/** The parameters of `ai/LlmRequest`, as their declarations narrow them. */
export interface LlmArgs {
  model: string;
  messages: unknown[];
  tools?: unknown[] | undefined;
  api_key?: string | undefined;
  api_base?: string | undefined;
  options?: Record<string, unknown> | undefined;
}

/** The configuration `ai/LlmRequest` reads. */
export interface AiConfig {
  API_BASE: string;
  API_KEY?: string | undefined;
}

/** The Chat Completions request body: model, messages, tools when given, then the extra options. */
export function toChatRequest(args: LlmArgs): Record<string, unknown> {
  const model = args.model.trim();
  if (!model) {
    throw new CommandError(ErrorCode.InvalidParameters, 'invalid parameters: model must not be empty', {
      httpStatus: 400,
    });
  }
  const request: Record<string, unknown> = { model, messages: args.messages };
  if (args.tools) request.tools = args.tools;
  for (const [key, value] of Object.entries(args.options ?? {})) {
    Object.defineProperty(request, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return request;
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
  if (apiKey === undefined) {
    if (base === configured) apiKey = configuredKey || undefined;
    else if (configuredKey) context.log('the configured API key is not sent to another api_base: give api_key');
  }
  return { url: new URL(`${base}/chat/completions`), apiKey };
}
