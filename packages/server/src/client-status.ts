import type { Duplex } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';

/** The status nginx logs for a request whose client closed the connection before it was answered. */
export const CLIENT_CLOSED_REQUEST = 499;

/**
 * The status of a connection that failed below the app, by its error code: what Node's HTTP server
 * answers for each parser or timeout error, or 499 when the client went away (reset, or end of stream mid-request).
 */
export function statusOfClientError(code: unknown): number {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    case 'HPE_INVALID_EOF_STATE':
    case 'ECONNRESET':
    case 'EPIPE':
      return CLIENT_CLOSED_REQUEST;
    default:
      return 400;
  }
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  431: 'Request Header Fields Too Large',
};

/** The request a connection's failure refused before the app saw it, for the request log. */
export interface RefusedRequest {
  /** `-` when the bytes the parser stopped at do not start with a request line. */
  method: string;
  /** The request target up to its query (which may hold secrets); `-` when unknown. */
  path: string;
  status: number;
}

/** A request line, read from the bytes a parser error carries (`rawPacket`); bounded, so a 431 cannot make a huge line. */
const REQUEST_LINE = /^([A-Z]{1,20}) ([^\s?#]{1,2048})[^\s]* HTTP\/\d\.\d\r?\n/;

/**
 * The HTTP server's `clientError` listener: answers a request it cannot parse, or that did not
 * arrive within the server's timeouts, the way Node does (plus a JSON body), but writes nothing to
 * a client that already left. The socket is destroyed with the error, which is how the app learns
 * (see {@link clientStatus}) what the client got for a request it was still reading.
 *
 * Returns the request it refused when no request of the app was in flight on the connection
 * (a malformed request line, headers too large): the app never logs those, so the caller does.
 */
export function answerClientError(
  error: Error & { code?: unknown; rawPacket?: unknown },
  socket: Duplex,
): RefusedRequest | undefined {
  const status = statusOfClientError(error.code);
  // Node's own rule: answer only when no answer to a request on this connection has started.
  const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  let refused: RefusedRequest | undefined;
  if (status !== CLIENT_CLOSED_REQUEST && socket.writable && !inFlight?.headersSent) {
    const reason = REASONS[status] ?? 'Bad Request';
    const body = JSON.stringify({ error: reason });
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    // With a request of the app on the connection (a malformed chunked body, say), the app logs it.
    if (!inFlight) refused = { ...requestLineOf(error.rawPacket), status };
  }
  socket.destroy(error);
  return refused;
}

function requestLineOf(raw: unknown): { method: string; path: string } {
  if (!(raw instanceof Uint8Array)) return { method: '-', path: '-' };
  const head = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.length, 2_100)).toString('latin1');
  const match = REQUEST_LINE.exec(head);
  return match?.[1] && match[2] ? { method: match[1], path: match[2] } : { method: '-', path: '-' };
}

/**
 * The status a request's client really got when it is not the app's answer: the one its failed
 * connection was answered with (400 for a malformed chunked body, 408 for a body too slow), or 499
 * when the client closed the connection before the answer. Undefined when the app's answer went out.
 */
export function clientStatus(c: Context): number | undefined {
  return clientStatusOf(c.env, c.req.raw);
}

/** {@link clientStatus} from what `fetch` receives: the adapter's bindings and the request. */
export function clientStatusOf(env: unknown, request?: Request): number | undefined {
  const socket = (env as Partial<HttpBindings> | undefined)?.incoming?.socket;
  const failure: unknown = socket?.errored;
  if (failure instanceof Error) return statusOfClientError((failure as Error & { code?: unknown }).code);
  // On Node, read the socket: `request.signal` would make the adapter build a whole web Request
  // (and its AbortSignal) for every logged request, microseconds each. Other runtimes have only the signal.
  if (socket) return socket.destroyed ? CLIENT_CLOSED_REQUEST : undefined;
  return request?.signal.aborted ? CLIENT_CLOSED_REQUEST : undefined;
}
