/** A small Slack Web API on 127.0.0.1 for the tests: chat.postMessage with Slack's answers and errors. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The one token the fake accepts. */
export const GOOD_TOKEN = 'xoxb-1111-2222-good-test-token';
/** Channels that exist, by ID and by name. */
export const CHANNELS: Readonly<Record<string, string>> = { C0123ABCD: 'C0123ABCD', '#general': 'C0123ABCD' };

/** One request as the fake received it. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Lets a test answer a request itself; returns true when it did. */
export type Override = (request: Received, response: ServerResponse) => boolean;

/** A running fake and what it saw. */
export interface FakeSlack {
  /** The API base URL, as CONNECTOR_SLACK_API_URL takes it. */
  url: string;
  received: Received[];
  /** The next `times` calls are answered 429 with this Retry-After (omitted when undefined). */
  rateLimit(times: number, retryAfter?: string): void;
  override: Override | undefined;
  close(): Promise<void>;
}

let nextTs = 1_503_435_956;

/** Starts the fake on 127.0.0.1 with a free port. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const received: Received[] = [];
  let limited = 0;
  let retryAfter: string | undefined;
  const fake: FakeSlack = {
    url: '',
    received,
    rateLimit(times, after) {
      limited = times;
      retryAfter = after;
    },
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
    if (limited > 0) {
      limited -= 1;
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
      response.writeHead(429, headers).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    answer(seen, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}/api`;
  return fake;
}

/** Writes Slack's answer as JSON. */
function answer(request: Received, response: ServerResponse): void {
  const [status, value] = reply(request);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
}

/** What Slack answers to chat.postMessage: HTTP 200 for API errors too, as Slack does. */
function reply(request: Received): [number, unknown] {
  if (request.method !== 'POST' || request.path !== '/api/chat.postMessage') {
    return [404, { ok: false, error: 'unknown_method' }];
  }
  const auth = request.headers.authorization;
  if (!auth) return [200, { ok: false, error: 'not_authed' }];
  if (auth !== `Bearer ${GOOD_TOKEN}`) return [200, { ok: false, error: 'invalid_auth' }];
  if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return [200, { ok: false, error: 'invalid_arguments' }];
  }
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(request.body);
  } catch {
    return [200, { ok: false, error: 'invalid_json' }];
  }
  if (!args.channel) {
    const messages = ['[ERROR] missing required field: channel'];
    return [200, { ok: false, error: 'invalid_arguments', response_metadata: { messages } }];
  }
  const channel = CHANNELS[String(args.channel)];
  if (!channel) return [200, { ok: false, error: 'channel_not_found' }];
  if (!args.text && !args.blocks) return [200, { ok: false, error: 'no_text' }];
  nextTs += 1;
  const ts = `${nextTs}.000247`;
  const message: Record<string, unknown> = { type: 'message', text: args.text, user: 'U0TESTBOT', ts };
  if (args.thread_ts) message.thread_ts = args.thread_ts;
  if (args.blocks) message.blocks = args.blocks;
  return [200, { ok: true, channel, ts, message }];
}
