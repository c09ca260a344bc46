import { randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallbackRead, readCallback } from './callback-read.js';
import { decode } from './http.js';

/** Options of {@link startCallbackEndpoint}. */
export interface CallbackOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port); fix it to allow-list the endpoint's origin on the proxy. */
  port?: number;
  /** The `SpiffWorkflow-Api-Key` the proxy must send; default: any non-empty one. */
  apiKey?: string;
  /** The `Authorization: Bearer` token the proxy must send; default: any non-empty one. */
  bearerToken?: string;
}

/** One PUT (or other request) that reached the endpoint, and what it answered, as Arena would. */
export interface CallbackDelivery {
  at: number;
  method: string;
  path: string;
  /** The task the path names, when it names one the kit registered. */
  guid: string | undefined;
  /** Which credentials came: `bearer`, `api-key`, and `proxy-api-key` (which Arena ignores). Never their values. */
  credentials: readonly ('bearer' | 'api-key' | 'proxy-api-key')[];
  contentType: string;
  text: string;
  /** The endpoint's answer: Arena's status and error code (`completed` on success). */
  answer: { status: number; code: string };
  /** The body read as Arena reads a callback, when it got that far. */
  read?: CallbackRead;
}

/** A task the kit made up for one request: its callback URL, and whether the backend would wait on it. */
export interface CallbackTask {
  url: string;
  processInstanceId: number;
  guid: string;
}

/** A local stand-in for SpiffArena's callback route, `PUT /v1.0/tasks/<pid>/<guid>/callback`. */
export interface CallbackEndpoint {
  /** Where it listens, e.g. `http://127.0.0.1:7011`. */
  origin: string;
  /** A new task whose callback URL the kit sends as `spiff__callback_url`. */
  register(): CallbackTask;
  /** Says whether the backend waits on the task after the proxy's answer (a 202 it accepts). */
  settle(guid: string, waiting: boolean): void;
  /** Every request that reached the endpoint, in order. */
  deliveries(): readonly CallbackDelivery[];
  /** Waits for the next request about `guid` after `after` deliveries of it, or undefined at the timeout. */
  next(guid: string, after: number, timeoutMs: number, signal?: AbortSignal): Promise<CallbackDelivery | undefined>;
  close(): Promise<void>;
}

const ROUTE = /^\/api\/v1\.0\/tasks\/(\d+)\/([^/]+)\/callback$/;
const MAX_BODY = 10 * 1024 * 1024;
/** Arena retries taking the instance's lock twice, sleeping 2 s then 4 s. */
const LOCK_WAIT_MS = 6_000;

interface TaskState {
  pid: number;
  state: 'pending' | 'waiting' | 'done' | 'not_waiting';
  settled: Promise<void>;
  settle: () => void;
}

/** Starts the callback endpoint on 127.0.0.1 (or `host`); it answers as SpiffArena's backend does. */
export async function startCallbackEndpoint(options: CallbackOptions = {}): Promise<CallbackEndpoint> {
  const tasks = new Map<string, TaskState>();
  const deliveries: CallbackDelivery[] = [];
  const listeners = new Set<() => void>();
  const processInstanceId = randomInt(1_000, 1_000_000);

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = ROUTE.exec(path);
    const guid = route?.[2];
    const task = guid ? tasks.get(guid) : undefined;
    const text = await readBody(req);
    const delivery: CallbackDelivery = {
      at: Date.now(),
      method: req.method ?? '',
      path,
      guid: task ? guid : undefined,
      credentials: credentialsOf(req),
      contentType: req.headers['content-type'] ?? '',
      text: text ?? '',
      answer: { status: 0, code: '' },
    };
    const reply = (status: number, code: string, message: string, body?: object) => {
      delivery.answer = { status, code };
      const payload = body ?? { type: 'about:blank', title: code, detail: message, status, error_code: code, message };
      res.writeHead(status, { 'Content-Type': body ? 'application/json' : 'application/problem+json' });
      res.end(JSON.stringify(payload));
      deliveries.push(delivery);
      for (const listener of listeners) listener();
    };
    if (!route) return reply(404, 'not_found', 'The requested URL was not found on the server.');
    if (req.method !== 'PUT') return reply(405, 'method_not_allowed', 'The callback route is PUT only.');
    const auth = authenticate(req, options);
    if (auth) return reply(auth.status, auth.code, auth.message);
    if (!isJsonMimetype(delivery.contentType)) {
      return reply(400, 'invalid_mimetype', 'This endpoint must be called with a json mimetype.');
    }
    if (text === undefined) return reply(413, 'request_entity_too_large', 'The callback body is too large.');
    if (Number(route[1]) !== processInstanceId) {
      return reply(400, 'process_instance_cannot_be_found', `Process instance cannot be found: ${route[1]}`);
    }
    if (!task) {
      const message = `No task found with guid '${guid}'. The task may have already completed or the guid is invalid.`;
      return reply(400, 'callback_not_found', message);
    }
    if (task.state === 'pending') {
      await Promise.race([task.settled, new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_MS).unref())]);
      if (task.state === 'pending') {
        return reply(400, 'process_instance_is_already_locked', 'The process instance is locked by the call.');
      }
    }
    if (task.state !== 'waiting') {
      return reply(400, 'not_waiting_for_callback', 'This process instance is not waiting for a callback.');
    }
    const read = readCallback(text);
    delivery.read = read;
    if (read.kind === 'invalid') return reply(400, read.code, read.message);
    task.state = 'done';
    return reply(200, 'completed', '', {
      ok: true,
      status: 'completed',
      process_model_identifier: 'conformance/kit',
      process_instance_id: processInstanceId,
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const origin = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  return {
    origin,
    register() {
      const guid = randomUUID();
      let settle = () => {};
      const settled = new Promise<void>((resolve) => {
        settle = resolve;
      });
      tasks.set(guid, { pid: processInstanceId, state: 'pending', settled, settle });
      return { url: `${origin}/api/v1.0/tasks/${processInstanceId}/${guid}/callback`, processInstanceId, guid };
    },
    settle(guid, waiting) {
      const task = tasks.get(guid);
      if (task?.state !== 'pending') return;
      task.state = waiting ? 'waiting' : 'not_waiting';
      task.settle();
    },
    deliveries: () => deliveries,
    next(guid, after, timeoutMs, signal) {
      const find = () => deliveries.filter((d) => d.guid === guid)[after];
      const found = find();
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => {
        const done = (value: CallbackDelivery | undefined) => {
          clearTimeout(timer);
          listeners.delete(listener);
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        };
        const listener = () => {
          const delivery = find();
          if (delivery) done(delivery);
        };
        const onAbort = () => done(undefined);
        const timer = setTimeout(() => done(undefined), timeoutMs);
        listeners.add(listener);
        signal?.addEventListener('abort', onAbort);
      });
    },
    close() {
      for (const task of tasks.values()) task.settle();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Arena authenticates a callback like any API call: a Bearer token or a service account's API key. */
function authenticate(
  req: IncomingMessage,
  options: CallbackOptions,
): { status: number; code: string; message: string } | undefined {
  const bearer = /^Bearer\s+(\S.*)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
  const apiKey = header(req, 'spiffworkflow-api-key');
  if (!bearer && !apiKey) {
    return {
      status: 401,
      code: 'invalid_token',
      message: 'The callback needs an Authorization: Bearer token or a SpiffWorkflow-Api-Key.',
    };
  }
  const expectsSome = options.apiKey !== undefined || options.bearerToken !== undefined;
  const accepted =
    !expectsSome ||
    (bearer !== undefined && options.bearerToken !== undefined && same(bearer, options.bearerToken)) ||
    (apiKey !== undefined && options.apiKey !== undefined && same(apiKey, options.apiKey));
  if (!accepted)
    return { status: 403, code: 'not_authorized', message: 'The credentials are not allowed to update this task.' };
  return undefined;
}

function credentialsOf(req: IncomingMessage): CallbackDelivery['credentials'] {
  const found: ('bearer' | 'api-key' | 'proxy-api-key')[] = [];
  if (/^Bearer\s+\S/i.test(req.headers.authorization ?? '')) found.push('bearer');
  if (header(req, 'spiffworkflow-api-key')) found.push('api-key');
  if (header(req, 'spiff-connector-proxy-api-key')) found.push('proxy-api-key');
  return found;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() ? text.trim() : undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Flask's `request.is_json`: `application/json` or `application/*+json`. */
function isJsonMimetype(contentType: string): boolean {
  const mimetype = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return mimetype === 'application/json' || (mimetype.startsWith('application/') && mimetype.endsWith('+json'));
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return decode(new Uint8Array(Buffer.concat(chunks)), req.headers['content-type'] ?? '');
}
