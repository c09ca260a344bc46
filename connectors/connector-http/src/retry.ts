import { setTimeout as delay } from 'node:timers/promises';

/** The most attempts a V2 command makes (Python's bound). */
export const MAX_ATTEMPTS = 10;
/** First backoff ceiling; each retry doubles it, up to {@link MAX_BACKOFF_MS}. */
export const BASE_BACKOFF_MS = 500;
export const MAX_BACKOFF_MS = 8_000;
/**
 * The longest Retry-After we wait for. The backend gives up after 45 s; a longer wait would end
 * in CommandTimeout, so we hand the 429/503 back instead and let SpiffArena's own retry decide.
 */
export const MAX_RETRY_AFTER_MS = 20_000;

/** Python's rule for `attempts`: an integer from 1 to 10, anything else means 1 (integer text is read too). */
export function toAttempts(value: unknown): number {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= MAX_ATTEMPTS ? number : 1;
}

/** True for the upstream statuses worth another attempt: 5xx (as Python) and 429 (ours). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Exponential backoff with "equal jitter": half the ceiling for sure, the other half at random. */
export function toBackoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Reads Retry-After (delay seconds or an HTTP date) as milliseconds from now; undefined when absent or unreadable. */
export function toRetryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retry number `retry` (1 for the second attempt): at least what
 * Retry-After asks, at least the backoff; undefined when Retry-After asks for too long.
 */
export function toRetryDelayMs(
  retry: number,
  retryAfter: string | null,
  options: { now?: number; random?: () => number } = {},
): number | undefined {
  const asked = toRetryAfterMs(retryAfter, options.now);
  if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) return undefined;
  return Math.max(asked ?? 0, toBackoffMs(retry, options.random));
}

/** Waits, but stops at once (rejecting) when the command's deadline aborts the signal. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal });
}
