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
  type Target,
  toEnvelope,
  toWireError,
  toWireResponse,
  type WireResponse,
} from '@connector-proxy/core';
import type { JobRunner } from '@connector-proxy/jobs';
import { readJsonBody } from './body.js';
import { handleLongRunning } from './jobs-routes.js';

/** What the route needs of a request beside its body. */
export interface DoFacts {
  connector: string;
  name: string;
  /** `GET` or `POST`. */
  method: string;
  contentType: string | undefined;
  /** The query parameters of a GET, added to its body. */
  queries(): Record<string, string[]> | undefined;
  /** The command deadline for this request (the configured one, capped by the runtime's). */
  timeoutMs: number;
}

/** One request, as the carrier reads it; the body is read only once the command is known. */
export interface DoRequest extends DoFacts {
  /** The body as text; undefined when it is over the limit. Throws when it cannot be read. */
  readText(): Promise<string | undefined>;
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

/**
 * The route's logic, and the answer to a body over the limit that a carrier refuses before
 * reading it. `run` is the whole of it; a carrier that reads the body itself (direct.ts) calls
 * `find`, reads, then `decide`, which answers a synchronous command without a promise.
 */
export interface DoRoute {
  run(request: DoRequest): Promise<DoOutcome>;
  /** The command's target, or the outcome for a command that does not exist. */
  find(connector: string, name: string): Target | DoOutcome;
  /** The outcome for the body's text (undefined: over the limit); a promise only while something runs. */
  decide(request: DoFacts, target: Target, text: string | undefined): DoOutcome | Promise<DoOutcome>;
  tooLarge: Invocation;
}

/** Creates the route's logic over the app's options. */
export function createDoRoute(options: DoOptions): DoRoute {
  const tooLarge = rejected(
    'too_large',
    ErrorCode.InvalidRequest,
    `the request body is larger than ${options.limit} bytes`,
  );
  const find = (connector: string, name: string): Target | DoOutcome => {
    const target = options.registry().target(connector, name);
    if (target) return target;
    const command = `${connector}/${name}`;
    const problem = `there is no command ${JSON.stringify(command)}: see GET /v1/commands for the list`;
    return { kind: 'invocation', command, invocation: rejected('not_found', ErrorCode.CommandNotFound, problem) };
  };
  const decide = (request: DoFacts, target: Target, text: string | undefined): DoOutcome | Promise<DoOutcome> => {
    const command = target.id;
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
      return handleLongRunning(options.jobs, target, body.value, invokeOptions).then(
        (handled): DoOutcome | Promise<DoOutcome> => {
          if (handled?.kind === 'accepted') return { kind: 'wire', command, wire: handled.response };
          if (handled) return { kind: 'invocation', command, invocation: handled.invocation };
          return invoked(command, invokeNow(target, body.value, invokeOptions));
        },
      );
    }
    // A command that answers synchronously is answered without a promise or a turn of the microtask queue.
    return invoked(command, invokeNow(target, body.value, invokeOptions));
  };
  const run = async (request: DoRequest): Promise<DoOutcome> => {
    const found = find(request.connector, request.name);
    if (isOutcome(found)) return found;
    let text: string | undefined;
    try {
      text = await request.readText();
    } catch (error) {
      return { kind: 'unreadable', command: found.id, error };
    }
    return decide(request, found, text);
  };
  return { run, find, decide, tooLarge };
}

/** True for what {@link DoRoute.find} answers when there is no such command. */
export function isOutcome(found: Target | DoOutcome): found is DoOutcome {
  return 'kind' in found;
}

function invoked(command: string, invocation: Invocation | Promise<Invocation>): DoOutcome | Promise<DoOutcome> {
  if (invocation instanceof Promise)
    return invocation.then((settled) => ({ kind: 'invocation', command, invocation: settled }));
  return { kind: 'invocation', command, invocation };
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
