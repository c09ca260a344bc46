import { CommandError, ErrorCode } from '@connector-proxy/core';

/** Network failures get a 5xx status, so SpiffArena's retry policy may try again. */
export const NETWORK_FAILURE_STATUS = 502;
/** A completion is at most a few megabytes of text; the whole answer is held in memory. */
export const MAX_ANSWER_BYTES = 20 * 1024 * 1024;

/** One answer, read whole. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * POSTs a JSON payload and reads the whole answer. A network failure is `ConnectionError` (502),
 * the deadline passing is `CommandTimeout` (504). Redirects are refused: an API does not
 * redirect a POST, and following one would carry the API key elsewhere.
 */
export async function postJson(
  url: URL,
  headers: Record<string, string>,
  payload: string,
  signal: AbortSignal,
): Promise<HttpAnswer> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body: payload, signal, redirect: 'error' });
    return { status: response.status, headers: response.headers, text: await readBounded(response) };
  } catch (error) {
    if (error instanceof CommandError) throw error;
    if (signal.aborted) throw toDeadlineError(error);
    throw new CommandError('ConnectionError', `could not reach ${url.origin}: ${describeNetworkFailure(error)}`, {
      httpStatus: NETWORK_FAILURE_STATUS,
      cause: error,
    });
  }
}

function toDeadlineError(cause: unknown): CommandError {
  return new CommandError(ErrorCode.CommandTimeout, 'the command did not finish before its deadline', {
    httpStatus: 504,
    cause,
  });
}

async function readBounded(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(): CommandError {
  return new CommandError('ResponseTooLarge', `the answer is larger than ${MAX_ANSWER_BYTES} bytes`, {
    httpStatus: NETWORK_FAILURE_STATUS,
  });
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in its cause. */
export function describeNetworkFailure(error: unknown): string {
  const reasons: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = 'code' in current && typeof current.code === 'string' ? ` (${current.code})` : '';
    if (current.message !== 'fetch failed') reasons.push(`${current.message}${code}`);
    current = current.cause;
  }
  return reasons.join(': ') || 'the connection failed';
}
