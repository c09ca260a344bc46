/**
 * The Node server's direct path for the protocol's two busiest requests, `POST /v1/do/<c>/<C>`
 * with a declared length and `GET /v1/commands`: answered from node:http's request and response,
 * with the app's own route logic (do-route.ts), listing bytes and request log, but without building
 * a web Request and Response and a Hono context for each. Everything else, and these requests in
 * any other form (chunked, percent-encoded, a query, a wrong API key, CORS configured), goes to
 * the Hono app as before.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Target, WireResponse } from '@connector-proxy/core';
import type { Hono } from 'hono';
import { API_KEY_HEADER_NAME, createApiKeyCheck } from './api-key.js';
import { type DirectRoutes, directRoutesOf } from './app.js';
import { incomingHeader } from './bindings.js';
import { IncomingBody } from './body.js';
import { CLIENT_CLOSED_REQUEST, clientStatusOf } from './client-status.js';
import { crashAnswer, type DoFacts, type DoOutcome, isOutcome, toAnswer, unreadableBody } from './do-route.js';
import type { RequestLogEntry } from './request-log.js';

const DO_PREFIX = '/v1/do/';

/**
 * The connector and command of `/v1/do/<c>/<C>`, for names as connectors and commands spell them
 * (`[A-Za-z0-9_][A-Za-z0-9_.-]*`, so never a dot segment, which the URL rules would resolve);
 * undefined for anything else (`%`, `?`, more slashes), which takes the app's way. By hand: a
 * regular expression's match array cost more than the rest of the routing.
 */
export function doPathOf(url: string): [connector: string, name: string] | undefined {
  if (!url.startsWith(DO_PREFIX)) return undefined;
  const slash = url.indexOf('/', DO_PREFIX.length);
  if (slash < 0 || !isName(url, DO_PREFIX.length, slash) || !isName(url, slash + 1, url.length)) return undefined;
  return [url.slice(DO_PREFIX.length, slash), url.slice(slash + 1)];
}

function isName(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const letterOrDigit =
      (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
    if (!letterOrDigit && (i === start || (c !== 0x2e && c !== 0x2d))) return false;
  }
  return true;
}

/** `fallback` (the Hono app's listener), with the direct path in front when the app allows it. */
export function withDirectRoutes(app: Hono, fallback: RequestListener): RequestListener {
  const direct = directRoutesOf(app);
  if (!direct || direct.cors) return fallback;
  const keyMatches = direct.apiKey === undefined ? undefined : createApiKeyCheck(direct.apiKey);
  return (req, res) => {
    const url = req.url ?? '';
    if (keyMatches && !keyMatches(incomingHeader(req, API_KEY_HEADER_NAME))) return fallback(req, res);
    if (req.method === 'GET' && url === '/v1/commands') return sendListing(direct, req, res);
    const names = req.method === 'POST' ? doPathOf(url) : undefined;
    const length = req.headers['content-length'];
    if (!names || length === undefined || req.headers['transfer-encoding'] !== undefined) return fallback(req, res);
    const started = performance.now();
    if (Number(length) > direct.limit) {
      const invocation = direct.route.tooLarge;
      return send(direct, req, res, started, { kind: 'invocation', command: '', invocation, close: true });
    }
    let found: Target | DoOutcome;
    try {
      found = direct.route.find(names[0], names[1]);
    } catch (error) {
      return send(direct, req, res, started, { kind: 'crash', error });
    }
    if (isOutcome(found)) return send(direct, req, res, started, found);
    new DirectExchange(direct, req, res, started, found, names[0], names[1]).read();
  };
}

/**
 * One request on the direct path: its facts for the route, its body as it arrives and its
 * answer, in one object whose methods do what a closure per step did (a request allocates it and
 * no listener, promise or closure of its own while a synchronous command answers).
 */
class DirectExchange extends IncomingBody implements DoFacts {
  readonly method = 'POST';
  readonly contentType: string | undefined;
  readonly timeoutMs: number;
  constructor(
    readonly direct: DirectRoutes,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly started: number,
    readonly target: Target,
    readonly connector: string,
    readonly name: string,
  ) {
    super(req, direct.limit);
    this.contentType = req.headers['content-type'];
    this.timeoutMs = direct.commandTimeoutMs;
  }

  queries(): undefined {
    return undefined;
  }

  protected override bodyRead(text: string | undefined): void {
    try {
      const outcome = this.direct.route.decide(this, this.target, text);
      if (outcome instanceof Promise) {
        outcome.then((settled) => this.answer(settled)).catch((error: unknown) => this.crash(error));
      } else this.answer(outcome);
    } catch (error) {
      this.crash(error);
    }
  }

  protected override bodyFailed(error: Error): void {
    this.answer({ kind: 'unreadable', command: this.target.id, error });
  }

  answer(outcome: DoOutcome): void {
    send(this.direct, this.req, this.res, this.started, outcome);
  }

  /** Only a bug in the proxy reaches here; when even its answer fails, the connection goes. */
  crash(error: unknown): void {
    try {
      send(this.direct, this.req, this.res, this.started, { kind: 'crash', error });
    } catch {
      this.res.destroy();
    }
  }
}

function sendListing(direct: DirectRoutes, req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.end(direct.listing());
  direct.log?.(entryOf(req, started, 200));
}

/** Answers as the app's route and error handler do, and logs the line its request log would. */
function send(
  direct: DirectRoutes,
  req: IncomingMessage,
  res: ServerResponse,
  started: number,
  outcome: DoOutcome | { kind: 'crash'; error: unknown },
): void {
  let wire: WireResponse;
  let errorCode: string | undefined;
  if (outcome.kind === 'crash') {
    // Only a bug in the proxy reaches here.
    ({ wire, errorCode } = crashAnswer(outcome.error));
  } else if (outcome.kind === 'unreadable') {
    const status = clientStatusOf({ incoming: req });
    if (status === CLIENT_CLOSED_REQUEST || status === 408) {
      res.statusCode = status;
      res.end();
      direct.log?.(entryOf(req, started, status, outcome.command));
      return;
    }
    ({ wire, errorCode } = toAnswer(unreadableBody(outcome.error)));
  } else if (outcome.kind === 'wire') {
    wire = outcome.wire;
  } else {
    ({ wire, errorCode } = toAnswer(outcome.invocation));
    // The rest of a body over the limit is never read, so the connection cannot carry another request.
    if (outcome.close) res.setHeader('Connection', 'close');
  }
  res.statusCode = wire.status;
  for (const name in wire.headers) res.setHeader(name, wire.headers[name] as string);
  if (wire.body === null) res.end();
  else res.end(wire.body);
  const command = outcome.kind === 'crash' ? undefined : outcome.command || undefined;
  direct.log?.(entryOf(req, started, wire.status, command, errorCode));
}

function entryOf(
  req: IncomingMessage,
  started: number,
  status: number,
  command?: string,
  errorCode?: string,
): RequestLogEntry {
  const entry: RequestLogEntry = {
    method: req.method ?? 'GET',
    path: req.url ?? '',
    status: clientStatusOf({ incoming: req }) ?? status,
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
  if (command) entry.command = command;
  if (errorCode) entry.errorCode = errorCode;
  return entry;
}
