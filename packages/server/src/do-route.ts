/**
 * What `/v1/do/<connector>/<Command>` does, whatever carries the request: Hono's route (every
 * runtime, `app.request()` in tests) and the Node server's direct path (direct.ts) both hand
 * it a {@link DoRequest} and send the {@link DoOutcome} it decides, so the two cannot drift apart.
 */
import {
  ErrorCode,
  errorCodeOf,
  type Invocation,
  type InvokeOptions,
  invokeNow,
  type Registry,
  rejected,
  toEnvelope,
  toWireError,
  toWireResponse,
  type WireResponse,
} from '@connector-proxy/core';
import type { JobRunner } from '@connector-proxy/jobs';
import { readJsonBody } from './body.js';
import { handleLongRunning } from './jobs-routes.js';

/** One request, as the carrier reads it; the body is read only once the command is known. */
export interface DoRequest {
  connector: string;
  name: string;
  /** `GET` or `POST`. */
  method: string;
  contentType: string | undefined;
  /** The body as text; undefined when it is over the limit. Throws when it cannot be read. */
  readText(): Promise<string | undefined>;
  /** The query parameters of a GET, added to its body. */
  queries(): Record<string, string[]> | undefined;
  /** The command deadline for this request (the configured one, capped by the runtime's). */
  timeoutMs: number;
}

/** What to answer: an invocation, a ready answer (a job's 202), or a body that could not be read. */
export type DoOutcome =
  | { kind: 'invocation'; command: string; invocation: Invocation; close?: true }
  | { kind: 'wire'; command: string; wire: WireResponse }
  | { kind: 'unreadable'; command: string; error: unknown };

/** What the route needs of the app. */
export interface DoOptions {
  registry: () => Registry;
  /** Bodies larger than this are refused (the connection is then closed: the rest is never read). */
  limit: number;
  signal?: AbortSignal;
  jobs?: JobRunner;
}

/** The route's logic, and the answer to a body over the limit that a carrier refuses before reading it. */
export interface DoRoute {
  run(request: DoRequest): Promise<DoOutcome>;
  tooLarge: Invocation;
}

/** Creates the route's logic over the app's options. */
export function createDoRoute(options: DoOptions): DoRoute {
  const tooLarge = rejected(
    'too_large',
    ErrorCode.InvalidRequest,
    `the request body is larger than ${options.limit} bytes`,
  );
  const run = async (request: DoRequest): Promise<DoOutcome> => {
    const command = `${request.connector}/${request.name}`;
    const target = options.registry().target(request.connector, request.name);
    if (!target) {
      const problem = `there is no command ${JSON.stringify(command)}: see GET /v1/commands for the list`;
      return { kind: 'invocation', command, invocation: rejected('not_found', ErrorCode.CommandNotFound, problem) };
    }
    let text: string | undefined;
    try {
      text = await request.readText();
    } catch (error) {
      return { kind: 'unreadable', command, error };
    }
    if (text === undefined) return { kind: 'invocation', command, invocation: tooLarge, close: true };
    const mediaType = request.contentType;
    if (text !== '' && !isJsonMediaType(mediaType)) {
      const given = mediaType === undefined ? 'no Content-Type' : `Content-Type ${JSON.stringify(mediaType)}`;
      const problem = `the request body must be sent as Content-Type: application/json, got ${given}`;
      return {
        kind: 'invocation',
        command,
        invocation: rejected('unsupported_media_type', ErrorCode.InvalidRequest, problem),
      };
    }
    const body = readJsonBody(text, request.method === 'GET' ? request.queries() : undefined);
    if (!body.ok) {
      return {
        kind: 'invocation',
        command,
        invocation: rejected('invalid_request', ErrorCode.InvalidRequest, body.problem),
      };
    }
    const { signal } = options;
    const invokeOptions: InvokeOptions = signal
      ? { timeoutMs: request.timeoutMs, signal }
      : { timeoutMs: request.timeoutMs };
    if (options.jobs || target.command.longRunning) {
      // Long-running commands: a 202 now and the result at the callback URL later (jobs-routes.ts).
      const handled = await handleLongRunning(options.jobs, target, body.value, invokeOptions);
      if (handled?.kind === 'accepted') return { kind: 'wire', command, wire: handled.response };
      if (handled) return { kind: 'invocation', command, invocation: handled.invocation };
    }
    // A command that answers synchronously is answered without another turn of the microtask queue.
    const invocation = invokeNow(target, body.value, invokeOptions);
    return { kind: 'invocation', command, invocation: invocation instanceof Promise ? await invocation : invocation };
  };
  return { run, tooLarge };
}

/**
 * What a client whose body could not be read is told, where its connection is still there (a
 * client that hung up or was too slow gets its 499 or 408 from the carrier instead).
 */
export function unreadableBody(error: unknown): Invocation {
  const reason = error instanceof Error ? error.message : String(error);
  return rejected('invalid_request', ErrorCode.InvalidRequest, `the request body could not be read: ${reason}`);
}

/** The answer to a bug in the proxy (a throw out of a route): 500, in the protocol's shape all the same. */
export function crashAnswer(error: unknown): { wire: WireResponse & { body: string }; errorCode: string } {
  const crash = error instanceof Error ? error : new Error(String(error));
  const envelope = toEnvelope(null, toWireError(crash.name || 'Error', crash.message), []);
  const wire = { status: 500, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(envelope) };
  return { wire, errorCode: crash.name };
}

/** An invocation as core's wire function renders it, with the error code the request log shows. */
export function toAnswer(invocation: Invocation): { wire: WireResponse; errorCode: string | undefined } {
  const wire = toWireResponse(invocation);
  const errorCode =
    wire.status === 500 && invocation.kind === 'v2' && invocation.failure !== 'crash'
      ? ErrorCode.InvalidCommandResult
      : errorCodeOf(invocation);
  return { wire, errorCode: errorCode || undefined };
}

/**
 * JSON media types as Flask's `is_json` reads them: `application/json` and `application/*+json`,
 * parameters (`; charset=utf-8`) and case aside.
 */
export function isJsonMediaType(header: string | undefined): boolean {
  if (header === undefined) return false;
  if (header === 'application/json') return true;
  const type = (header.split(';', 1)[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
