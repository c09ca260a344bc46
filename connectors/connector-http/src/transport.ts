import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { type CallAbort, toAbortError } from './abort.js';
import { AnswerHeaders, type RequestHeaders } from './headers.js';
import type { HttpAnswer } from './response.js';

/** One request as it goes on the wire: its headers are final, Content-Length included. */
export interface WireRequest {
  method: string;
  url: URL;
  headers: RequestHeaders;
  body: string | undefined;
}

/** How {@link sendOnce} sends. */
export interface SendOptions {
  /** Aborts the request when the command is aborted. */
  abort: CallAbort;
  /** The agent for https URLs (one that trusts a private CA); Node's global agent when undefined. */
  httpsAgent: https.Agent | undefined;
  /** The largest answer kept, in bytes, as received and again once decompressed. */
  maxBytes: number;
}

/** An answer larger than the bound: the proxy would otherwise hold all of it in memory. */
export class ResponseTooLargeError extends Error {
  override readonly name = 'ResponseTooLargeError';
  constructor(maxBytes: number, what: string) {
    super(`the ${what} answer is larger than ${maxBytes} bytes`);
  }
}

/**
 * Sends one request and reads the whole answer, decompressed; never follows a redirect. Uses
 * node:http rather than fetch, so that only the headers we choose go out (fetch adds
 * `Accept-Language`, `Sec-Fetch-Mode`, and cannot send `Content-Length: 0` on a DELETE).
 * Rejects on a network failure, and when the command is aborted.
 */
export function sendOnce(request: WireRequest, { abort, httpsAgent, maxBytes }: SendOptions): Promise<HttpAnswer> {
  const secure = request.url.protocol === 'https:';
  const client = secure ? https : http;
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = { method: request.method, headers: request.headers };
    if (secure && httpsAgent) options.agent = httpsAgent;
    // Settles once: whatever fails after the first outcome (a destroyed socket's errors) is moot.
    let settled = false;
    const settle = (error: unknown, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      stopWatching();
      if (answer) resolve(answer);
      else reject(error);
    };
    const outgoing = client.request(request.url, options, (incoming) => readAnswer(incoming, maxBytes, settle));
    outgoing.on('error', settle);
    const stopWatching = abort.watch((reason) => outgoing.destroy(toAbortError(reason)));
    // A Buffer, not a string: node:http would write the headers in the body's encoding (UTF-8), not Latin-1.
    outgoing.end(request.body === undefined ? undefined : Buffer.from(request.body, 'utf8'));
  });
}

type Settle = (error: unknown, answer?: HttpAnswer) => void;

/** Reads the answer with stream events: `for await` costs an async iterator and a promise per chunk. */
function readAnswer(incoming: http.IncomingMessage, maxBytes: number, settle: Settle): void {
  const declared = Number(incoming.headers['content-length']);
  if (declared > maxBytes) {
    incoming.destroy();
    settle(new ResponseTooLargeError(maxBytes, 'declared'));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  const closedEarly = (reason: string) =>
    settle(new Error(`the connection closed before the whole answer arrived (${reason})`));
  incoming.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBytes) {
      settle(new ResponseTooLargeError(maxBytes, 'received'));
      incoming.destroy();
      return;
    }
    chunks.push(chunk);
  });
  incoming.on('error', (error) => closedEarly(error.message));
  // The reason `for await` gave for a stream closed without an end or an error.
  incoming.on('close', () => {
    if (!ended) closedEarly('Premature close');
  });
  incoming.on('end', () => {
    ended = true;
    const headers = new AnswerHeaders(incoming.rawHeaders);
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
    const answer = (bytes: Uint8Array): HttpAnswer => ({
      status: incoming.statusCode ?? 0,
      statusText: incoming.statusMessage ?? '',
      headers,
      bytes,
    });
    const contentEncoding = headers.get('content-encoding');
    // Most answers are not compressed: no promise for them.
    if (body.length === 0 || contentEncoding === null) settle(undefined, answer(body));
    else toDecoded(body, contentEncoding, maxBytes).then((decoded) => settle(undefined, answer(decoded)), settle);
  });
}

// Lenient at the end of the stream, as browsers and curl are with a truncated gzip body.
const LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

/**
 * Undoes the Content-Encoding (last applied first); an encoding we do not know leaves the bytes
 * as they are. Decompression stops at `maxBytes`, so a small gzip bomb cannot fill the memory.
 */
async function toDecoded(body: Buffer, contentEncoding: string | null, maxBytes: number): Promise<Buffer> {
  try {
    return await decode(body, contentEncoding, { ...LENIENT, maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError && (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ResponseTooLargeError(maxBytes, 'decompressed');
    }
    throw error;
  }
}

async function decode(body: Buffer, contentEncoding: string | null, options: zlib.ZlibOptions): Promise<Buffer> {
  if (body.length === 0 || contentEncoding === null) return body;
  const codings = contentEncoding
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim());
  let decoded = body;
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoded = await gunzip(decoded, options);
    else if (coding === 'deflate') decoded = await toInflated(decoded, options);
    else if (coding === 'br') decoded = await brotli(decoded, { maxOutputLength: options.maxOutputLength });
    else if (coding !== 'identity' && coding !== '') return decoded;
  }
  return decoded;
}

/** "deflate" is meant to be zlib-wrapped, but some servers send raw deflate; both are read. */
async function toInflated(body: Buffer, options: zlib.ZlibOptions): Promise<Buffer> {
  try {
    return await inflate(body, options);
  } catch (error) {
    if (error instanceof RangeError) throw error;
    return inflateRaw(body, options);
  }
}
