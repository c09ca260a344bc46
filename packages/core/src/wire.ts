/**
 * The one place an invocation becomes bytes: status, headers and body text. The server, the
 * command line, the test kit, the job worker and the Lambda handler all answer through it.
 */
import { ErrorCode } from './errors.js';
import { type Failure, type Invocation, statusOf } from './invocation.js';
import { parseJson } from './json.js';
import { type EnvelopeV2, envelopeText, toEnvelope, toWireError } from './protocol.js';

/** An answer ready to send. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | null;
}

/** Serializes JSON for the wire; core's exact-number writer by default ({@link envelopeText}). */
export type JsonWriter = (value: unknown) => string;

/** Parses JSON text losslessly, throwing on failure (as the `parse` of {@link toCallbackEnvelope}). */
function readJson(text: string): unknown {
  const parsed = parseJson(text);
  if (!parsed.ok) throw new SyntaxError(`the text is ${parsed.problem}`);
  return parsed.value;
}

/** Statuses whose answers cannot carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

const JSON_CONTENT_TYPE = 'application/json';

/**
 * The status, headers and body of an invocation. A legacy answer goes out as the command gave it;
 * an envelope as JSON, with the outer status decided by {@link statusOf}. A result JSON cannot
 * carry (NaN or Infinity, a cycle, nesting too deep) is the command's fault: answered
 * as an `InvalidCommandResult` crash with the logs it wrote.
 */
export function toWireResponse(invocation: Invocation, write?: JsonWriter): WireResponse {
  if (invocation.kind === 'v1') {
    const { status, mimetype, body } = invocation.answer;
    return { status, headers: { 'Content-Type': mimetype }, body: NULL_BODY_STATUSES.has(status) ? null : body };
  }
  const { envelope, failure } = invocation;
  let text: string;
  try {
    text = write ? write(envelope) : envelopeText(envelope);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const message = `the command's result cannot be sent as JSON: ${reason}`;
    const fallback = toEnvelope(null, toWireError(ErrorCode.InvalidCommandResult, message), envelope.spiff__logs);
    return {
      status: statusOf('crash'),
      headers: { 'Content-Type': JSON_CONTENT_TYPE },
      body: JSON.stringify(fallback),
    };
  }
  return { status: statusOf(failure), headers: { 'Content-Type': JSON_CONTENT_TYPE }, body: text };
}

/** The error code an invocation answers with, or undefined on success (for logs and metrics). */
export function errorCodeOf(invocation: Invocation): string | undefined {
  return invocation.kind === 'v2' ? invocation.envelope.error?.error_code : undefined;
}

/** The failure kind of an invocation, null on success. */
export function failureOf(invocation: Invocation): Failure | null {
  return invocation.kind === 'v2' ? invocation.failure : null;
}

/**
 * The body a long-running command's callback carries: always version 2, `command_response.body`
 * present also on failure (null) with its `mimetype`, and a structured `error` on failure, as
 * SpiffArena's callback endpoint requires. A legacy answer becomes a version-2 result; its
 * status >= 300 becomes `http_status` (and Arena's ServiceTaskHttpError).
 */
export function toCallbackEnvelope(invocation: Invocation, parse: (text: string) => unknown = readJson): EnvelopeV2 {
  if (invocation.kind === 'v1') {
    const { answer, logs } = invocation;
    let body: unknown = answer.body;
    if (answer.mimetype.includes('json')) {
      try {
        body = parse(answer.body);
      } catch {
        // Not JSON after all: sent as the text it is.
      }
    }
    return {
      command_response: { body, mimetype: answer.mimetype, http_status: answer.status },
      error: null,
      command_response_version: 2,
      spiff__logs: [...logs],
    };
  }
  const { envelope } = invocation;
  const response = { ...envelope.command_response };
  if (!('body' in response)) response.body = null;
  response.mimetype ??= JSON_CONTENT_TYPE;
  return { ...envelope, command_response: response };
}
