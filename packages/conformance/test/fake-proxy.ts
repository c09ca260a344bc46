import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a fake proxy's route answers. */
export interface FakeAnswer {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/** A call to `/v1/do/<id>` as the fake proxy sees it. */
export interface FakeCall {
  id: string;
  text: string;
  /** The body parsed as JSON, when it was. */
  json: unknown;
}

/** How a fake proxy behaves; every field left out behaves as a correct proxy does. */
export interface FakeProxyOptions {
  /** Requires `Spiff-Connector-Proxy-Api-Key` on /v1/commands, /v1/auths and /v1/do. */
  apiKey?: string;
  /** Decides whether a given key is accepted, instead of comparing it with `apiKey`. */
  acceptsKey?: (given: string) => boolean;
  listing?: unknown;
  liveness?: (path: string) => FakeAnswer;
  /** Answers `/v1/do/<id>`; return undefined to answer as a correct proxy would. */
  do?: (call: FakeCall, req: IncomingMessage) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>;
  /** Leaves `spiff__logs` out of every envelope. */
  withoutLogs?: boolean;
}

/** The listing of the fake proxy: one command with a required text, an optional int and a password. */
export const FAKE_LISTING = [
  {
    id: 'demo/Echo',
    parameters: [
      { id: 'message', type: 'str', required: true },
      { id: 'times', type: 'int', required: false },
      { id: 'password', type: 'str', required: false },
    ],
    description: 'an extra field, which the protocol allows',
  },
];

/** A running fake proxy on 127.0.0.1. */
export interface FakeProxy {
  url: string;
  calls: FakeCall[];
  close(): Promise<void>;
}

/** A version-2 envelope, with or without `spiff__logs`. */
export function envelope(
  body: unknown,
  error: { error_code: string; message: string } | null,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    command_response: { body, mimetype: 'application/json', ...extra },
    error,
    command_response_version: 2,
    spiff__logs: [],
  };
}

/**
 * Starts a small proxy speaking the protocol with node:http: correct by default (so each test
 * breaks exactly one thing), on a free port of 127.0.0.1.
 */
export async function startFakeProxy(options: FakeProxyOptions = {}): Promise<FakeProxy> {
  const calls: FakeCall[] = [];
  const json = (status: number, value: unknown): FakeAnswer => {
    const out =
      options.withoutLogs && typeof value === 'object' && value !== null && 'spiff__logs' in value
        ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'spiff__logs'))
        : value;
    return { status, body: JSON.stringify(out), contentType: 'application/json' };
  };
  const keyOk = (req: IncomingMessage) => {
    if (options.acceptsKey) return options.acceptsKey(String(req.headers['spiff-connector-proxy-api-key'] ?? ''));
    if (options.apiKey === undefined) return true;
    const given = Buffer.from(String(req.headers['spiff-connector-proxy-api-key'] ?? ''));
    const key = Buffer.from(options.apiKey);
    return given.length === key.length && timingSafeEqual(given, key);
  };

  async function route(req: IncomingMessage, text: string): Promise<FakeAnswer> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/liveness' || path === '/v1/liveness') return options.liveness?.(path) ?? json(200, { ok: true });
    if (path === '/') return { status: 200, body: 'A fake connector proxy.', contentType: 'text/plain' };
    const protectedPath = path === '/v1/commands' || path === '/v1/auths' || path.startsWith('/v1/do/');
    if (protectedPath && !keyOk(req)) return json(401, { error: 'Unauthorized' });
    if (path === '/v1/commands') return json(200, options.listing ?? FAKE_LISTING);
    if (path === '/v1/auths') return json(200, []);
    const id = /^\/v1\/do\/([^/]+\/[^/]+)$/.exec(path)?.[1];
    if (!id) return json(404, { error: 'Not Found' });
    let parsed: unknown;
    try {
      parsed = JSON.parse(text || '{}');
    } catch {
      parsed = undefined;
    }
    const call = { id, text, json: parsed };
    calls.push(call);
    const custom = await options.do?.(call, req);
    if (custom) return custom;
    if (id !== 'demo/Echo') {
      return json(404, {
        ...envelope(undefined, { error_code: 'command_not_found', message: `no ${id}` }),
        command_response: {},
      });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return json(400, {
        ...envelope(undefined, { error_code: 'InvalidRequest', message: 'the body must be a JSON object' }),
        command_response: {},
      });
    }
    const body = parsed as Record<string, unknown>;
    const problems = [
      ...(typeof body.message !== 'string' ? ['message must be a string'] : []),
      ...(body.times !== undefined && !Number.isInteger(body.times) ? ['times must be an integer'] : []),
    ];
    if (problems.length > 0) {
      return json(400, {
        ...envelope(undefined, { error_code: 'InvalidParameters', message: problems.join('; ') }),
        command_response: {},
      });
    }
    return json(200, envelope({ message: body.message }, null));
  }

  const server = createServer((req, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void route(req, Buffer.concat(chunks).toString('utf8')).then((answer) => {
        res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json', ...answer.headers });
        res.end(answer.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
