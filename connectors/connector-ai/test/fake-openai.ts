/** A small OpenAI-style Chat Completions API on 127.0.0.1 for the tests, with OpenAI's error bodies. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The one key the fake accepts. */
export const GOOD_KEY = 'sk-test-0123456789abcdefGOOD';
/** The one model the fake serves. */
export const MODEL = 'gpt-test-mini';

/** One request as the fake received it. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A running fake and what it saw. */
export interface FakeOpenAi {
  /** The API base URL, as `api_base` and CONNECTOR_AI_API_BASE take it. */
  base: string;
  received: Received[];
  /** Lets a test answer a request itself; returns true when it did. */
  override: ((request: Received, response: ServerResponse) => boolean) | undefined;
  close(): Promise<void>;
}

/** Starts the fake on 127.0.0.1 with a free port; its base is `http://127.0.0.1:<port>/v1`. */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const received: Received[] = [];
  const fake: FakeOpenAi = {
    base: '',
    received,
    override: undefined,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const seen: Received = {
      method: request.method ?? '',
      path: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    received.push(seen);
    if (fake.override?.(seen, response)) return;
    answer(seen, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return fake;
}

/** OpenAI's error body. */
export function errorBody(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

/** Writes the API's answer as JSON. */
function answer(request: Received, response: ServerResponse): void {
  const [status, value] = reply(request);
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

const invalidRequest = (message: string, code: string | null, param: string | null = null) =>
  errorBody(message, 'invalid_request_error', code, param);

/** What OpenAI answers to a Chat Completions request, errors included. */
function reply(request: Received): [number, unknown] {
  if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
    return [404, invalidRequest(`Unknown request URL: ${request.method} ${request.path}.`, 'unknown_url')];
  }
  const auth = request.headers.authorization;
  if (!auth) return [401, invalidRequest("You didn't provide an API key.", null)];
  if (auth !== `Bearer ${GOOD_KEY}`) {
    // OpenAI shows a shortened form of the wrong key.
    const key = auth.replace(/^Bearer /, '');
    return [
      401,
      invalidRequest(`Incorrect API key provided: ${key.slice(0, 3)}*****${key.slice(-4)}.`, 'invalid_api_key'),
    ];
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(request.body);
  } catch {
    return [400, invalidRequest('We could not parse the JSON body of your request.', null)];
  }
  if (body.model !== MODEL) {
    const message = `The model \`${String(body.model)}\` does not exist or you do not have access to it.`;
    return [404, invalidRequest(message, 'model_not_found')];
  }
  const messages: { content?: unknown }[] = Array.isArray(body.messages) ? body.messages : [];
  const last = messages.at(-1);
  if (!last) return [400, invalidRequest("Invalid 'messages': empty array.", 'empty_array', 'messages')];
  const text = typeof last.content === 'string' ? last.content : '';
  const tools: { function?: { name?: string } }[] = Array.isArray(body.tools) ? body.tools : [];
  const toolName = tools[0]?.function?.name;
  const call = { id: 'call_abc123', type: 'function', function: { name: toolName, arguments: '{"city":"Paris"}' } };
  const message =
    toolName && /weather/i.test(text)
      ? { role: 'assistant', content: null, tool_calls: [call] }
      : { role: 'assistant', content: `You said: ${text}` };
  const completion = {
    id: 'chatcmpl-test123',
    object: 'chat.completion',
    created: 1_730_000_000,
    model: MODEL,
    choices: [{ index: 0, message, logprobs: null, finish_reason: 'tool_calls' in message ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
    system_fingerprint: 'fp_test',
    ...(body.temperature === undefined ? {} : { echoed_temperature: body.temperature }),
  };
  return [200, completion];
}
