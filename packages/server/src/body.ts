import type { IncomingMessage } from 'node:http';
import { isJsonObject, kindOf, parseJson } from '@connector-proxy/core';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { getBodyOf } from './bindings.js';

const OPEN_BRACE = 0x7b;

/** The parsed request body, or why it was refused. */
export type BodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

/**
 * Reads a `/v1/do` request body as a JSON object, numbers exact and nesting bounded. An empty
 * body is `{}`; for GET, query parameters are added (body keys win), so a command can be tried
 * from a browser. `__proto__` becomes an own key, never a prototype, so a body cannot reach
 * Object.prototype.
 */
export function readJsonBody(text: string, queries: Record<string, string[]> | undefined): BodyResult {
  let value: unknown = {};
  // A body is nearly always an object: its first character says it is not blank without trimming a copy.
  if (text.charCodeAt(0) === OPEN_BRACE || text.trim() !== '') {
    const parsed = parseJson(text);
    if (!parsed.ok) return { ok: false, problem: `the request body is ${parsed.problem}` };
    value = parsed.value;
  }
  if (!isJsonObject(value)) {
    return { ok: false, problem: `the request body must be a JSON object, got ${kindOf(value)}` };
  }
  if (queries) {
    for (const [key, values] of Object.entries(queries)) {
      if (!Object.hasOwn(value, key)) {
        Object.defineProperty(value, key, {
          value: values.length === 1 ? values[0] : values,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return { ok: true, value };
}

/**
 * The request body as text, or undefined when it is larger than `limit` bytes. Node's adapter
 * builds GET requests without a body, but a GET /v1/do may carry JSON as a POST does (the Python
 * proxy reads it), so a GET body is read from the socket, or taken from what another adapter handed over.
 */
export async function readBodyText(c: Context, limit: number): Promise<string | undefined> {
  if (c.req.method !== 'GET') return c.req.text();
  const handedOver = getBodyOf(c);
  if (handedOver !== undefined) return new TextEncoder().encode(handedOver).length > limit ? undefined : handedOver;
  const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
  if (incoming === undefined) return c.req.text();
  return readIncoming(incoming, limit);
}

const decoder = new TextDecoder();

/**
 * The whole body of a Node request, decoded as `c.req.text()` decodes it (UTF-8, a leading BOM
 * dropped), or undefined once it passes `limit` bytes (the rest is not read). Rejects when the
 * client goes away first.
 */
export function readIncoming(incoming: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => new PromisedBody(incoming, limit, resolve, reject).read());
}

const READER = Symbol('connector-proxy.incoming-body');
type Reading = IncomingMessage & { [READER]?: IncomingBody };

/**
 * Reads the whole body of a Node request as {@link readIncoming} does, and hands it to
 * `bodyRead` (undefined past `limit` bytes) or the failure to `bodyFailed`, once. A class whose
 * listeners are shared by every request (they find the reader on the request), so that a server
 * reading a body allocates no closures and no promise for it (direct.ts).
 */
export abstract class IncomingBody {
  #chunks: Buffer[] = [];
  #size = 0;
  #settled = false;
  constructor(
    readonly incoming: IncomingMessage,
    readonly limit: number,
  ) {}

  /** Starts reading. */
  read(): void {
    const incoming = this.incoming as Reading;
    incoming[READER] = this;
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    // No 'error' listener: a request's IncomingMessage emits 'error' only to listeners (else it just
    // closes), and a client gone mid-body is told by 'close' without 'end'. One listener less on
    // every request is about 850 instructions.
    incoming.on('close', onClose);
  }

  protected abstract bodyRead(text: string | undefined): void;
  protected abstract bodyFailed(error: Error): void;

  /** @internal */
  chunk(chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size <= this.limit) {
      this.#chunks.push(chunk);
      return;
    }
    this.#chunks.length = 0;
    this.incoming.off('data', onData);
    this.incoming.pause();
    this.#settle(undefined, undefined);
  }

  /** @internal */
  end(): void {
    const chunks = this.#chunks;
    this.#settle(undefined, decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  }

  /** @internal */
  close(): void {
    if (!this.incoming.complete) {
      this.#settle(new Error('the client closed the connection before the whole body arrived'), undefined);
    }
  }

  #settle(error: Error | undefined, text: string | undefined): void {
    if (this.#settled) return;
    this.#settled = true;
    if (error) this.bodyFailed(error);
    else this.bodyRead(text);
  }
}

function onData(this: Reading, chunk: Buffer): void {
  this[READER]?.chunk(chunk);
}

function onEnd(this: Reading): void {
  this[READER]?.end();
}

function onClose(this: Reading): void {
  this[READER]?.close();
}

class PromisedBody extends IncomingBody {
  constructor(
    incoming: IncomingMessage,
    limit: number,
    readonly resolve: (text: string | undefined) => void,
    readonly reject: (error: Error) => void,
  ) {
    super(incoming, limit);
  }
  protected override bodyRead(text: string | undefined): void {
    this.resolve(text);
  }
  protected override bodyFailed(error: Error): void {
    this.reject(error);
  }
}
