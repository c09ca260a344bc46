import { CommandError, ErrorCode, JsonError, narrow } from '@connector-proxy/core';
import { toPythonJson } from './python-json.js';
import { pairRecord, rawText, toPairs } from './shapes.js';

/** A request body ready to send, with the Content-Type used when the caller set none. */
export interface RequestBody {
  text: string;
  contentType: string;
}

/** The ways the unsuffixed commands can send `data`. */
export const BODY_FORMATS = ['json', 'form', 'raw', 'none'] as const;
export type BodyFormat = (typeof BODY_FORMATS)[number];

/**
 * `data` as JSON, byte for byte what Python's `requests` sends for `json=data`; what it cannot
 * send (`1e400`, nesting past the bound) is the caller's mistake, an InvalidParameters naming where.
 */
export function toJsonBody(data: unknown): RequestBody {
  try {
    return { text: toPythonJson(data, { name: 'data' }), contentType: 'application/json' };
  } catch (error) {
    if (error instanceof JsonError) {
      throw new CommandError(ErrorCode.InvalidParameters, error.message, { httpStatus: 400, cause: error });
    }
    throw error;
  }
}

/**
 * `data` in the given format; undefined when there is nothing to send. Its shape depends on the
 * format, so it is checked here against the declared shape (by core, worded as core words it).
 */
export function toBody(format: BodyFormat, data: unknown): RequestBody | undefined {
  if (data === undefined || data === null || format === 'none') return undefined;
  if (format === 'json') return toJsonBody(data);
  if (format === 'form') {
    const text = new URLSearchParams(toPairs(narrow(pairRecord, data, 'data'))).toString();
    return { text, contentType: 'application/x-www-form-urlencoded' };
  }
  return { text: narrow(rawText, data, 'data'), contentType: 'text/plain; charset=utf-8' };
}
