import type { ArenaAnswer } from './job.js';

/** How the proxy proves itself to SpiffArena's callback endpoint. */
export type CallbackCredential = { kind: 'api-key'; value: string } | { kind: 'bearer'; value: string };

/** The header that carries a credential (a service account's key, or a token). */
export function credentialHeader(credential: CallbackCredential): [string, string] {
  return credential.kind === 'api-key'
    ? ['SpiffWorkflow-Api-Key', credential.value]
    : ['Authorization', `Bearer ${credential.value}`];
}

/** What one delivery attempt leads to. */
export type AttemptOutcome =
  | { outcome: 'delivered'; answer: ArenaAnswer }
  | { outcome: 'retry'; answer: ArenaAnswer; retryAfter: string | null }
  | { outcome: 'refused'; answer: ArenaAnswer };

/** Options of {@link deliverOnce}. */
export interface DeliverOptions {
  credential: CallbackCredential;
  /** An attempt that gets no answer within this many ms counts as a network failure. */
  timeoutMs: number;
  /** Aborts the attempt (shutdown); the attempt's outcome is then unknown and nothing is recorded. */
  signal?: AbortSignal;
}

/** How much of Arena's answer is kept for `GET /v1/jobs/<id>`. */
export const ANSWER_BODY_LIMIT = 2_000;

/**
 * PUTs a callback envelope to its callback URL once and classifies the answer: a 2xx is
 * delivered; network failures, 408, 429 and 5xx may succeed later; anything else (400 for a bad
 * body or a task no longer waiting, 401/403 for credentials, 404, a redirect) will not.
 * Redirects are never followed, so the credential only ever goes to the checked origin.
 */
export async function deliverOnce(url: string, body: string, options: DeliverOptions): Promise<AttemptOutcome> {
  const [name, value] = credentialHeader(options.credential);
  // One controller per attempt, detached afterwards: AbortSignal.any on the long-lived shutdown
  // signal would keep a reference per attempt until shutdown.
  const attempt = new AbortController();
  const timer = setTimeout(
    () => attempt.abort(new DOMException('no answer in time', 'TimeoutError')),
    options.timeoutMs,
  );
  const stop = () => attempt.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', stop, { once: true });
  let res: Response;
  let text: string;
  try {
    try {
      res = await fetch(url, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'connector-proxy', [name]: value },
        body,
        redirect: 'manual',
        signal: attempt.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return { outcome: 'retry', answer: { at: Date.now(), error: describeFailure(error) }, retryAfter: null };
    }
    text = await readCapped(res, ANSWER_BODY_LIMIT).catch(() => '');
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
  const answer: ArenaAnswer = { at: Date.now(), status: res.status, ...(text ? { body: text } : {}) };
  if (res.status >= 200 && res.status < 300) return { outcome: 'delivered', answer };
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return { outcome: 'retry', answer, retryAfter: res.headers.get('retry-after') };
  }
  return { outcome: 'refused', answer };
}

/** Reads at most `limit` characters of an answer, then stops reading. */
async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** A network failure in a few words: the system error code when there is one. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause;
    if (cause instanceof Error) {
      const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
      return code ? `${code}: ${cause.message}` : `${cause.name}: ${cause.message}`;
    }
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}
