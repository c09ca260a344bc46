import http from 'node:http';
import https from 'node:https';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { HttpAnswer } from './response.js';

/** One request as it goes on the wire: its headers are final, Content-Length included. */
export interface WireRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string | undefined;
}

/** How {@link sendOnce} sends. */
export interface SendOptions {
  /** Aborts the request. */
  signal: AbortSignal;
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
 * Rejects on a network failure, and when the signal aborts.
 */
export function sendOnce(request: WireRequest, { signal, httpsAgent, maxBytes }: SendOptions): Promise<HttpAnswer> {
  const secure = request.url.protocol === 'https:';
  const client = secure ? https : http;
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      method: request.method,
      headers: Object.fromEntries(request.headers),
      signal,
    };
    if (secure && httpsAgent) options.agent = httpsAgent;
    const outgoing = client.request(request.url, options, (incoming) => {
      readAnswer(incoming, maxBytes).then(resolve, reject);
    });
    outgoing.on('error', reject);
    // A Buffer, not a string: node:http would write the headers in the body's encoding (UTF-8), not Latin-1.
    outgoing.end(request.body === undefined ? undefined : Buffer.from(request.body, 'utf8'));
  });
}

async function readAnswer(incoming: http.IncomingMessage, maxBytes: number): Promise<HttpAnswer> {
  const declared = Number(incoming.headers['content-length']);
  if (declared > maxBytes) {
    incoming.destroy();
    throw new ResponseTooLargeError(maxBytes, 'declared');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of incoming) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        incoming.destroy();
        throw new ResponseTooLargeError(maxBytes, 'received');
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`the connection closed before the whole answer arrived (${reason})`);
  }
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) headers.append(raw[index] ?? '', raw[index + 1] ?? '');
  const body = await toDecoded(Buffer.concat(chunks), headers.get('content-encoding'), maxBytes);
  return {
    status: incoming.statusCode ?? 0,
    statusText: incoming.statusMessage ?? '',
    headers,
    bytes: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
  };
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
