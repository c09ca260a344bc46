/**
 * Stops a call when its command is aborted (deadline or proxy shutdown) through the context's
 * `onAbort`, which never builds an AbortSignal: on Node 20 one with its listener costs about
 * 10 us a call, and most calls never need it. The signal itself is read only where an API wants
 * one (the wait between retries).
 */

/** What a call needs of its command's context. */
interface AbortSource {
  readonly signal: AbortSignal;
  onAbort(listener: (reason: unknown) => void): () => void;
}

/** The abort of one call, for every attempt and redirect it makes. */
export class CallAbort {
  #aborted = false;
  readonly #stop: () => void;
  constructor(readonly source: AbortSource) {
    this.#stop = source.onAbort(() => {
      this.#aborted = true;
    });
  }

  /** True once the command was aborted. */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** The command's signal, for APIs that take one. */
  get signal(): AbortSignal {
    return this.source.signal;
  }

  /** Calls `onAbort` when the command is aborted (at once if it already is); returns the stop. */
  watch(onAbort: (reason: unknown) => void): () => void {
    return this.source.onAbort(onAbort);
  }

  /** Stops listening; call when the call is over. */
  dispose(): void {
    this.#stop();
  }
}

/** The error an aborted request fails with, as node:http makes it for `{ signal }`. */
export function toAbortError(reason: unknown): Error {
  const error = new Error('The operation was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
}
