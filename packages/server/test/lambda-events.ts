import { readFileSync } from 'node:fs';
import type { LambdaContext, LambdaEvent } from 'hono/aws-lambda';

/** The recorded event shapes (see fixtures/lambda/README.md). */
export const EVENT_KINDS = ['http-api-v2', 'rest-api-v1', 'function-url', 'alb', 'alb-multi-value'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** One HTTP request, as a test describes it. */
export interface TestRequest {
  method: string;
  path: string;
  /** Decoded query parameters. */
  query?: [string, string][];
  headers?: Record<string, string>;
  body?: string;
  /** Send the body base64-encoded, as AWS does for content it does not take for text. */
  base64?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: events are free-form JSON edited field by field, as AWS fills them
type Json = any;

/** The fixture as recorded. */
export function recordedEvent(kind: EventKind): LambdaEvent {
  return load(kind);
}

function load(kind: EventKind): Json {
  return JSON.parse(readFileSync(new URL(`fixtures/lambda/${kind}.json`, import.meta.url), 'utf8'));
}

/** The event AWS would hand the function for `req`: the recorded one, with only what differs changed. */
export function eventFor(kind: EventKind, req: TestRequest): LambdaEvent {
  const event = load(kind);
  const body = req.body === undefined || req.body === '' ? null : req.body;
  const encoded = body !== null && req.base64 ? Buffer.from(body).toString('base64') : body;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? event.multiValueHeaders ?? {})) {
    if (!/^(content-length|content-type)$/i.test(name)) headers[name] = Array.isArray(value) ? value[0] : String(value);
  }
  Object.assign(headers, req.headers);
  if (body !== null) {
    headers[kind === 'rest-api-v1' ? 'Content-Length' : 'content-length'] = String(Buffer.byteLength(body));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers[kind === 'rest-api-v1' ? 'Content-Type' : 'content-type'] = 'application/json';
    }
  }
  const query = req.query ?? [];
  event.body = encoded;
  event.isBase64Encoded = encoded !== body;

  if (kind === 'http-api-v2' || kind === 'function-url') {
    // Payload 2.0: header names lower-cased, repeated query values joined with commas.
    event.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    event.rawPath = req.path;
    event.requestContext.http.method = req.method;
    event.requestContext.http.path = req.path;
    event.rawQueryString = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
    if (query.length > 0) event.queryStringParameters = joined(query);
    return event;
  }
  if (kind === 'rest-api-v1') {
    event.httpMethod = req.method;
    event.path = req.path;
    event.pathParameters = req.path === '/' ? null : { proxy: req.path.slice(1) };
    event.resource = req.path === '/' ? '/' : '/{proxy+}';
    event.requestContext.httpMethod = req.method;
    event.requestContext.path = `/${event.requestContext.stage}${req.path}`;
    event.headers = headers;
    event.multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
    event.queryStringParameters = query.length > 0 ? Object.fromEntries(query) : null;
    event.multiValueQueryStringParameters = query.length > 0 ? grouped(query) : null;
    return event;
  }
  // ALB: header names lower-cased; query values passed on as they came, still URL-encoded.
  event.httpMethod = req.method;
  event.path = req.path;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const encodedQuery: [string, string][] = query.map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]);
  if (kind === 'alb') {
    event.headers = lower;
    event.queryStringParameters = Object.fromEntries(encodedQuery);
  } else {
    event.multiValueHeaders = Object.fromEntries(Object.entries(lower).map(([k, v]) => [k, [v]]));
    event.multiValueQueryStringParameters = grouped(encodedQuery);
  }
  return event;
}

function joined(query: [string, string][]): Record<string, string> {
  return Object.fromEntries(Object.entries(grouped(query)).map(([k, values]) => [k, values.join(',')]));
}

function grouped(query: [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of query) out[k] = [...(out[k] ?? []), v];
  return out;
}

/** A Lambda context whose invocation ends `remainingMs` from now. */
export function contextWith(remainingMs = 30_000): LambdaContext {
  const end = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'connector-proxy',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-2:123456789012:function:connector-proxy',
    memoryLimitInMB: '512',
    awsRequestId: '8f5c6f2e-7c4d-4a5e-9b1f-0e2d3c4b5a69',
    logGroupName: '/aws/lambda/connector-proxy',
    logStreamName: '2026/12/01/[$LATEST]0123456789abcdef0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
  };
}
