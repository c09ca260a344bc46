import { type EnvelopeV2, ErrorCode, toEnvelope, toWireError } from '@connector-proxy/core';
import { encode } from './codec.js';

/** The error code of a request whose callback URL is outside CONNECTOR_PROXY_CALLBACK_ORIGINS (403). */
export const CALLBACK_NOT_ALLOWED = 'CallbackNotAllowed';

/** The callback of a job that ended with `code` instead of a result (the command is gone, or was interrupted). */
export function toFailureEnvelope(code: string, message: string, httpStatus?: number): EnvelopeV2 {
  const envelope = toEnvelope(null, toWireError(code, message), [], httpStatus);
  return { ...envelope, command_response: { ...envelope.command_response, body: null, mimetype: 'application/json' } };
}

/** Serializes a callback envelope; a result JSON cannot carry becomes an InvalidCommandResult callback. */
export function serializeCallback(envelope: EnvelopeV2): string {
  let reason = 'the result is not JSON';
  try {
    const text: unknown = encode(envelope);
    if (typeof text === 'string') return text;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  }
  const fallback = toFailureEnvelope(
    ErrorCode.InvalidCommandResult,
    `the command's result cannot be sent as JSON: ${reason}`,
  );
  return encode({ ...fallback, spiff__logs: envelope.spiff__logs });
}
