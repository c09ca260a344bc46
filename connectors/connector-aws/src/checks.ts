import { CommandError, ErrorCode } from '@connector-proxy/core';

/** An `InvalidParameters` failure with http_status 400. */
export function invalid(problem: string): CommandError {
  return new CommandError(ErrorCode.InvalidParameters, `invalid parameters: ${problem}`, { httpStatus: 400 });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * True for base64 text (whitespace already removed) that decodes without loss: padding may be
 * left out, and surplus padding after a whole group is ignored, as Python's b64decode does.
 */
export function isBase64(text: string): boolean {
  return BASE64.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
}
