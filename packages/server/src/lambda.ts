import type { Registry } from '@connector-proxy/core';
import { Hono } from 'hono';
import {
  type APIGatewayProxyResult,
  type ApiGatewayRequestContextV2,
  handle,
  type LambdaContext,
  type LambdaEvent,
} from 'hono/aws-lambda';
import { createApp } from './app.js';
import type { AdapterBindings } from './bindings.js';
import { readConfig } from './config.js';
import { createEgressFor } from './egress/hook.js';
import { BUILT_CONDITIONS, loadConnectors } from './load.js';
import { formatLogEntry } from './serve.js';

/** Milliseconds kept back from an invocation's remaining time, so the answer leaves before Lambda stops the function. */
export const LAMBDA_MARGIN_MS = 1_000;

/** Options of {@link createLambdaHandler}; every one has a default fit for a deployed function. */
export interface LambdaHandlerOptions {
  /**
   * The commands to serve, or how to build them (once, at the first invocation). By default the
   * connectors are discovered as `serve` does, in the function's folder (`LAMBDA_TASK_ROOT`), with
   * their built entries: a deployment package is a production install, with no TypeScript loader.
   */
  registry?: Registry | (() => Promise<Registry>);
  /** Where the configuration is read from (the same variables as the server); default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Kept back from the remaining time for the answer; default {@link LAMBDA_MARGIN_MS}. */
  marginMs?: number;
  /** Where request log lines go; default stdout, which Lambda sends to CloudWatch. */
  write?: (line: string) => void;
}

/** A Lambda handler for API Gateway (HTTP API payload 2.0, REST API 1.0), function URL and ALB events. */
export type LambdaHandler = (event: LambdaEvent, context: LambdaContext) => Promise<APIGatewayProxyResult>;

/**
 * Builds a Lambda handler around the same app the server runs. Configuration and connectors are
 * read once per execution environment (at the first invocation, so a cold start pays for it once);
 * each command's deadline is capped by the time the invocation has left.
 */
export function createLambdaHandler(options: LambdaHandlerOptions = {}): LambdaHandler {
  let ready: Promise<(event: LambdaEvent, context: LambdaContext) => Promise<APIGatewayProxyResult>> | undefined;
  return async (event, context) => {
    ready ??= start(options);
    return (await ready)(event, context);
  };
}

/** The handler a function is deployed with: `packages/server/dist/lambda.handler`. */
export const handler: LambdaHandler = createLambdaHandler();

/** The GET bodies taken out of events (a fetch Request cannot carry them), by the event handed on. */
const getBodies = new WeakMap<object, string>();

async function start(options: LambdaHandlerOptions) {
  const env = options.env ?? process.env;
  const config = readConfig(env);
  const registry = await buildRegistry(options.registry, env, config.connectors);
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const format = config.logFormat;
  // The process's egress policy: a Lambda runs one proxy, so every connection a command opens meets it.
  createEgressFor(config);
  const app = createApp(registry, {
    apiKey: config.apiKey,
    corsOrigins: config.corsOrigins,
    bodyLimitBytes: config.bodyLimitBytes,
    commandTimeoutMs: config.commandTimeoutMs,
    metrics: config.metrics,
    ...(format === 'off' ? {} : { log: (entry) => write(formatLogEntry(entry, format)) }),
  });
  const marginMs = options.marginMs ?? LAMBDA_MARGIN_MS;
  // hono's adapter turns events into Requests and Responses into results; this layer adds what
  // the app needs to know about the invocation (see AdapterBindings).
  const adapter = new Hono<{ Bindings: { event: LambdaEvent; lambdaContext?: LambdaContext } }>();
  adapter.all('*', (c) => {
    const { lambdaContext, event } = c.env;
    const getBody = getBodies.get(event);
    const bindings: AdapterBindings = {
      ...(lambdaContext ? { timeLeftMs: () => lambdaContext.getRemainingTimeInMillis() - marginMs } : {}),
      ...(getBody !== undefined ? { getBody } : {}),
    };
    return app.fetch(c.req.raw, { ...c.env, ...bindings });
  });
  const lambda = handle(adapter);
  return (event: LambdaEvent, context: LambdaContext) => lambda(prepare(event), context);
}

function buildRegistry(
  given: LambdaHandlerOptions['registry'],
  env: Record<string, string | undefined>,
  extra: readonly string[],
): Promise<Registry> {
  if (typeof given === 'function') return given();
  if (given) return Promise.resolve(given);
  const root = env.LAMBDA_TASK_ROOT ?? process.cwd();
  return loadConnectors({ root, extra, conditions: BUILT_CONDITIONS, env }).then((loaded) => loaded.registry);
}

/**
 * Readies an event for hono's adapter: the body of a GET (which the proxy reads, as the Python one
 * does) is handed over beside the request, and a named HTTP API stage is taken off the path.
 */
function prepare(event: LambdaEvent): LambdaEvent {
  let prepared = event;
  if ('rawPath' in event) {
    const rawPath = withoutStage(event.rawPath, event.requestContext);
    if (rawPath !== event.rawPath) prepared = { ...event, rawPath };
  }
  const method = 'rawPath' in event ? event.requestContext.http.method : 'httpMethod' in event ? event.httpMethod : '';
  if ((method === 'GET' || method === 'HEAD') && event.body) {
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    prepared = { ...prepared, body: null, isBase64Encoded: false };
    if (method === 'GET') getBodies.set(prepared, text);
  }
  return prepared;
}

/**
 * An HTTP API called on its generated endpoint with a named stage puts the stage in front of the
 * path (`/prod/v1/commands`); the `$default` stage, function URLs and custom domains do not.
 */
function withoutStage(rawPath: string, context: ApiGatewayRequestContextV2): string {
  const { stage, domainName } = context;
  if (!stage || stage === '$default' || !/\.execute-api\./.test(domainName ?? '')) return rawPath;
  const prefix = `/${stage}`;
  if (rawPath === prefix) return '/';
  return rawPath.startsWith(`${prefix}/`) ? rawPath.slice(prefix.length) : rawPath;
}
