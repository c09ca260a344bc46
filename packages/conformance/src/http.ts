/** An answer the proxy gave, with its body decoded to text as Python's `requests` decodes it. */
export interface Answer {
  ok: true;
  status: number;
  contentType: string;
  text: string;
  /** Redirects followed on the way, as `requests` follows them. */
  redirects: readonly { status: number; location: string }[];
  ms: number;
}

/** A request that got no answer; `error` is the exception `requests` would raise (ConnectionError, ReadTimeout). */
export interface NoAnswer {
  ok: false;
  error: string;
  message: string;
  ms: number;
}

/** What one request of the kit brought back. */
export type Reply = Answer | NoAnswer;

/** How the kit sends one request. */
export interface SendOptions {
  body?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/** The header that carries the proxy's API key. */
export const API_KEY_HEADER = 'Spiff-Connector-Proxy-Api-Key';

/** What SpiffArena's backend sends as User-Agent to a proxy. */
export const BACKEND_USER_AGENT = 'spiffworkflow-backend';

const MAX_REDIRECTS = 30;

/**
 * Sends a request the way the backend's `requests.post` does: JSON content type, its User-Agent,
 * redirects followed (307/308 keep the method and body; 301/302/303 turn a POST into a GET).
 */
export async function send(method: string, url: string, options: SendOptions): Promise<Reply> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const redirects: { status: number; location: string }[] = [];
  const signals = [AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  let current = { method, url, body: options.body };
  try {
    for (;;) {
      const response = await fetch(current.url, {
        method: current.method,
        headers: {
          'User-Agent': BACKEND_USER_AGENT,
          ...(current.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(current.body !== undefined ? { body: current.body } : {}),
        redirect: 'manual',
        signal,
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null && redirects.length < MAX_REDIRECTS) {
        await response.body?.cancel();
        redirects.push({ status: response.status, location });
        const keep = response.status === 307 || response.status === 308 || current.method === 'GET';
        current = keep
          ? { ...current, url: new URL(location, current.url).href }
          : { method: 'GET', url: new URL(location, current.url).href, body: undefined };
        continue;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const contentType = response.headers.get('content-type') ?? '';
      return { ok: true, status: response.status, contentType, text: decode(bytes, contentType), redirects, ms: ms() };
    }
  } catch (error) {
    return { ok: false, ...requestsError(error, signal, options.signal), ms: ms() };
  }
}

/** The exception `requests` raises for a request that got no answer. */
function requestsError(
  error: unknown,
  signal: AbortSignal,
  stop: AbortSignal | undefined,
): { error: string; message: string } {
  if (stop?.aborted) return { error: 'Interrupted', message: 'the run was stopped' };
  if (signal.aborted) return { error: 'ReadTimeout', message: 'no answer within the timeout' };
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  return { error: 'ConnectionError', message };
}

/**
 * Decodes a body as `requests`' `Response.text`: the charset the Content-Type names, else
 * ISO-8859-1 for text types and UTF-8 otherwise; a byte-order mark is kept (Python's json.loads
 * then refuses it) and undecodable bytes are replaced.
 */
export function decode(bytes: Uint8Array, contentType: string): string {
  if (bytes.length === 0) return '';
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1];
  const label = charset ?? (/text/i.test(contentType) ? 'latin1' : 'utf-8');
  try {
    return new TextDecoder(label, { ignoreBOM: true }).decode(bytes);
  } catch {
    // An unknown charset: requests falls back to decoding with replacement.
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }
}
