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

/** Creates the lazily built abort of one invocation. */
export function createCommandAbort(outer: AbortSignal | undefined): CommandAbort {
  let controller: AbortController | undefined;
  let reason: { value: unknown } | undefined;
  const forward = () => controller?.abort(outer?.reason);
  return {
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (reason) controller.abort(reason.value);
        else if (outer?.aborted) controller.abort(outer.reason);
        else outer?.addEventListener('abort', forward, { once: true });
      }
      return controller.signal;
    },
    abort(value) {
      reason ??= { value };
      controller?.abort(value);
    },
    dispose() {
      outer?.removeEventListener('abort', forward);
    },
  };
}
