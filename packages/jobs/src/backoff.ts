/** How delivery attempts are spaced. */
export interface BackoffOptions {
  /** The first retry waits about this long; each further one twice as long. */
  baseMs: number;
  /** No wait is longer than this (except a Retry-After Arena asks for). */
  maxMs: number;
}

/**
 * The wait before retry number `attempt` (1 = the first retry): exponential, capped, with
 * "equal jitter" (half fixed, half random) so instances that failed together do not retry
 * together, and the wait never drops below half the exponential step.
 */
export function backoffMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  return Math.round(step / 2 + random() * (step / 2));
}

/** A `Retry-After` header (seconds, or an HTTP date) as ms from `now`; undefined when absent or unreadable. */
export function readRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
