import type { EnvelopeV2, LegacyAnswer } from './protocol.js';

/** Why an invocation did not succeed; {@link statusOf} maps each kind to one outer HTTP status. */
export type Failure =
  | 'not_found'
  | 'invalid_request'
  | 'unsupported_media_type'
  | 'too_large'
  | 'invalid_parameters'
  | 'command'
  | 'crash'
  | 'shutting_down';

/** The outcome of one command execution, ready for the wire (see `toWireResponse`). */
export type Invocation =
  | { kind: 'v2'; envelope: EnvelopeV2; failure: Failure | null }
  | { kind: 'v1'; answer: LegacyAnswer; logs: readonly string[] };

/** The outer HTTP status for an invocation's outcome: the one place it is decided. */
export function statusOf(failure: Failure | null): 200 | 400 | 404 | 413 | 415 | 500 | 503 {
  switch (failure) {
    case null:
    case 'command':
      return 200;
    case 'invalid_request':
    case 'invalid_parameters':
      return 400;
    case 'not_found':
      return 404;
    case 'too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'crash':
      return 500;
    case 'shutting_down':
      return 503;
  }
}
