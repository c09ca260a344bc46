/**
 * The abort signal a command sees: it aborts at the deadline or when the proxy's own signal
 * (shutdown) aborts. Built only when a command reads it, because most never do and an
 * AbortSignal costs microseconds per request on Node 20; and it forwards the outer signal with
 * one listener removed afterwards, where AbortSignal.any would leave an entry on the long-lived
 * shutdown signal for every request.
 */
export interface CommandAbort {
  /** The signal for the context; created on first read. */
  readonly signal: AbortSignal;
  /** Aborts now, or at creation when the signal is read later. */
  abort(reason: unknown): void;
  /** Stops listening to the outer signal; call when the invocation is over. */
  dispose(): void;
}

/**
 * Creates the lazily built abort of one invocation. A class, not an object literal: V8 builds a
 * literal with a getter on a slow path, which cost about a microsecond per request.
 */
export function createCommandAbort(outer: AbortSignal | undefined): CommandAbort {
  return new LazyAbort(outer);
}

class LazyAbort implements CommandAbort {
  #controller: AbortController | undefined;
  #reason: { value: unknown } | undefined;
  #forward: (() => void) | undefined;
  constructor(readonly outer: AbortSignal | undefined) {}

  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      const outer = this.outer;
      if (this.#reason) controller.abort(this.#reason.value);
      else if (outer?.aborted) controller.abort(outer.reason);
      else if (outer) {
        this.#forward = () => controller.abort(outer.reason);
        outer.addEventListener('abort', this.#forward, { once: true });
      }
    }
    return this.#controller.signal;
  }

  abort(value: unknown): void {
    this.#reason ??= { value };
    this.#controller?.abort(value);
  }

  dispose(): void {
    if (this.#forward) this.outer?.removeEventListener('abort', this.#forward);
  }
}
