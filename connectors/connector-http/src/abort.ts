/**
 * Stops a call when its command is aborted (deadline or proxy shutdown), reading the command's
 * signal only once a call has lasted a while. Core builds that signal on first read, and on
 * Node 20 an AbortSignal with its listener costs about 10 us; most calls answer in far less
 * than {@link WATCH_AFTER_MS}, so they never pay it, and a timer costs under 1 us.
 */

/** How long a call runs before it listens to the signal; an abort is noticed at most this late. */
export const WATCH_AFTER_MS = 50;

/** What a call needs of its command's context. */
interface AbortSource {
  readonly signal: AbortSignal;
  readonly deadline: number;
}

/** The abort of one call, for every attempt and redirect it makes. */
export class CallAbort {
  #read = false;
  constructor(readonly source: AbortSource) {}

  /** The command's signal (built now if nobody read it yet); from then on every watch listens at once. */
  get signal(): AbortSignal {
    this.#read = true;
    return this.source.signal;
  }

  /**
   * Calls `onAbort` when the command is aborted: at once when it already is and the signal was
   * read, else once a timer finds it so (at the deadline at the latest). Returns the stop.
   */
  watch(onAbort: (reason: unknown) => void): () => void {
    if (this.#read) return listen(this.signal, onAbort);
    let stop: (() => void) | undefined;
    // Never later than the deadline, so a timeout stops the call as soon as core's timer fires.
    const delay = Math.max(0, Math.min(WATCH_AFTER_MS, this.source.deadline - Date.now()));
    const timer = setTimeout(() => {
      stop = listen(this.signal, onAbort);
    }, delay);
    return () => {
      clearTimeout(timer);
      stop?.();
    };
  }
}

function listen(signal: AbortSignal, onAbort: (reason: unknown) => void): () => void {
  if (signal.aborted) {
    onAbort(signal.reason);
    return () => {};
  }
  const handler = () => onAbort(signal.reason);
  signal.addEventListener('abort', handler, { once: true });
  return () => signal.removeEventListener('abort', handler);
}

/** The error an aborted request fails with, as node:http makes it for `{ signal }`. */
export function toAbortError(reason: unknown): Error {
  const error = new Error('The operation was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}
