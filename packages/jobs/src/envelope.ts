import { type EnvelopeV2, type Invocation, toEnvelope, toWireError } from '@connector-proxy/core';
import { encode } from './codec.js';

/** Error codes of long-running commands (core's catalogue will hold the shared ones). */
export const JobErrorCode = {
  /** The command was running when the proxy stopped, and it is not declared idempotent. */
  CommandInterrupted: 'CommandInterrupted',
  /** The proxy is shutting down and accepts no new work. */
  ProxyShuttingDown: 'ProxyShuttingDown',
  /** The request's callback URL is outside CONNECTOR_PROXY_CALLBACK_ORIGINS. */
  CallbackNotAllowed: 'CallbackNotAllowed',
  /** The job's command is no longer loaded by the proxy that picked the job up. */
  CommandNotFound: 'command_not_found',
} as const;

/**
 * What a long-running command's callback carries: always version 2, `command_response.body`
 * present also on failure (SpiffArena reads it after a boundary event caught the error), a
 * mimetype, and a structured error.
 */
export function toCallbackEnvelope(invocation: Invocation): EnvelopeV2 {
  if (invocation.kind === 'v1') {
    const { status, mimetype, body } = invocation.answer;
    let parsed: unknown = body;
    if (/json/i.test(mimetype)) {
      try {
        parsed = JSON.parse(body);
      } catch {
        // Sent as the text it is.
      }
    }
    return toEnvelope({ body: parsed, mimetype, httpStatus: status }, null, [...invocation.logs]);
  }
  const { envelope } = invocation;
  const response = envelope.command_response;
  return {
    ...envelope,
    command_response: {
      ...response,
      body: response.body === undefined ? null : response.body,
      mimetype: response.mimetype ?? 'application/json',
    },
  };
}

/** The callback of a command that failed with `code` before or instead of producing a result. */
export function toFailureEnvelope(code: string, message: string, logs: string[] = [], httpStatus?: number): EnvelopeV2 {
  const envelope = toEnvelope(null, toWireError(code, message), logs, httpStatus);
  envelope.command_response = { ...envelope.command_response, body: null, mimetype: 'application/json' };
  return envelope;
}

/** Serializes a callback envelope; a result JSON cannot carry becomes an InvalidCommandResult callback. */
export function serializeCallback(envelope: EnvelopeV2): string {
  try {
    const text = encode(envelope);
    if (typeof text === 'string') return text;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return encode(
      toFailureEnvelope(
        'InvalidCommandResult',
        `the command's result cannot be sent as JSON: ${reason}`,
        envelope.spiff__logs,
      ),
    );
  }
  return encode(toFailureEnvelope('InvalidCommandResult', 'the command returned nothing JSON can carry'));
}
