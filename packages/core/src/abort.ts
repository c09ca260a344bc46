/**
 * The abort of one invocation: it aborts at the deadline or when the proxy's own signal
 * (shutdown) aborts. The AbortSignal a command sees is built only when it reads it, because most
 * never do and on Node 20 an AbortSignal costs microseconds (more with a listener); a command
 * that only needs to hear of the abort uses `onAbort`, which costs an array slot.
 */

/** Settles {@link CommandAbort.race} when the deadline passed first. */
export const TIMED_OUT = Symbol('timed out');
/** Settles {@link CommandAbort.race} when the outer signal (shutdown) aborted first. */
export const SHUT_DOWN = Symbol('shut down');

export interface CommandAbort {
  /** The signal for the context; created on first read. */
  readonly signal: AbortSignal;
  /** Calls `listener` with the reason once aborted (at once when already aborted); returns the stop. */
  onAbort(listener: (reason: unknown) => void): () => void;
  /** Aborts now, or at creation when the signal is read later. */
  abort(reason: unknown): void;
  /**
   * The command's output, TIMED_OUT after `ms` or SHUT_DOWN when the outer signal aborts; either
   * of those aborts the command too, after the race is decided.
   */
  race(running: PromiseLike<unknown>, ms: number): Promise<unknown>;
  /** Stops listening to the outer signal and drops the listeners; call when the invocation is over. */
  dispose(): void;
}

/**
 * Creates the abort of one invocation. A class, not an object literal: V8 builds a literal with a
 * getter on a slow path, which cost about a microsecond per request.
 */
export function createCommandAbort(outer: AbortSignal | undefined): CommandAbort {
  return new LazyAbort(outer);
}

class LazyAbort implements CommandAbort {
  #controller: AbortController | undefined;
  #reason: { value: unknown } | undefined;
  #listeners: ((reason: unknown) => void)[] | undefined;
  /** Set while on the outer signal's watch list. */
  #watched = false;
  /** Decides the race as SHUT_DOWN; set while a race runs. */
  #onStop: (() => void) | undefined;
  /** Neighbours on the outer signal's watch list while watched (see {@link watch}). */
  previous: LazyAbort | undefined;
  next: LazyAbort | undefined;
  constructor(readonly outer: AbortSignal | undefined) {}

  get signal(): AbortSignal {
    if (!this.#controller) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.#reason) controller.abort(this.#reason.value);
      else if (this.outer?.aborted) controller.abort(this.outer.reason);
      else this.#watch();
    }
    return this.#controller.signal;
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#reason) {
      listener(this.#reason.value);
      return noop;
    }
    if (this.outer?.aborted) {
      this.abort(this.outer.reason);
      listener(this.outer.reason);
      return noop;
    }
    this.#watch();
    this.#listeners ??= [];
    const listeners = this.#listeners;
    listeners.push(listener);
    return () => {
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
    };
  }

  abort(value: unknown): void {
    if (this.#reason) return;
    this.#reason = { value };
    this.#controller?.abort(value);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners) for (const listener of listeners) callSafely(listener, value);
  }

  race(running: PromiseLike<unknown>, ms: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#onStop = undefined;
        resolve(TIMED_OUT);
        // The reason AbortSignal.timeout() uses, so fetch and friends reject as they would for it.
        this.abort(new DOMException(`the command did not finish within ${ms} ms`, 'TimeoutError'));
      }, ms);
      this.#onStop = () => {
        clearTimeout(timer);
        resolve(SHUT_DOWN);
      };
      this.#watch();
      // A command that ignores the signal may still fail after the deadline: handled, unheard.
      Promise.resolve(running).then(
        (value) => {
          clearTimeout(timer);
          this.#onStop = undefined;
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.#onStop = undefined;
          reject(error);
        },
      );
    });
  }

  /** Called by the outer signal's watch: the race is decided first, then the command aborted. */
  stop(reason: unknown): void {
    this.#watched = false;
    const onStop = this.#onStop;
    this.#onStop = undefined;
    onStop?.();
    this.abort(reason);
  }

  dispose(): void {
    this.#onStop = undefined;
    this.#listeners = undefined;
    if (this.#watched && this.outer) unwatch(this.outer, this);
    this.#watched = false;
  }

  #watch(): void {
    if (this.#watched || !this.outer || this.#reason) return;
    this.#watched = true;
    watch(this.outer, this);
  }
}

function noop(): void {}

/** A listener that throws is reported as an AbortSignal listener's would be, without stopping the others. */
function callSafely(listener: (reason: unknown) => void, reason: unknown): void {
  try {
    listener(reason);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/**
 * The invocations listening to each outer signal: one listener on the signal for all of them,
 * because adding and removing an EventTarget listener costs about a microsecond per request (and
 * 11 of them make Node warn of a leak); removed when the last one leaves, so an idle shutdown
 * signal holds nothing. The members are a list linked through the invocations themselves: joining
 * and leaving it writes two fields, where a Set hashed and grew for each request.
 */
interface WatchList {
  first: LazyAbort | undefined;
  listener: () => void;
}

const watchers = new WeakMap<AbortSignal, WatchList>();

function watch(outer: AbortSignal, member: LazyAbort): void {
  let list = watchers.get(outer);
  if (!list) {
    const created: WatchList = {
      first: undefined,
      listener: () => {
        watchers.delete(outer);
        const members: LazyAbort[] = [];
        for (let each = created.first; each; each = each.next) members.push(each);
        created.first = undefined;
        for (const each of members) {
          each.previous = undefined;
          each.next = undefined;
          each.stop(outer.reason);
        }
      },
    };
    list = created;
    watchers.set(outer, list);
    outer.addEventListener('abort', list.listener, { once: true });
  }
  member.previous = undefined;
  member.next = list.first;
  if (list.first) list.first.previous = member;
  list.first = member;
}

function unwatch(outer: AbortSignal, member: LazyAbort): void {
  const list = watchers.get(outer);
  if (!list) return;
  const { previous, next } = member;
  if (previous) previous.next = next;
  else if (list.first === member) list.first = next;
  else return;
  if (next) next.previous = previous;
  member.previous = undefined;
  member.next = undefined;
  if (list.first === undefined) {
    watchers.delete(outer);
    outer.removeEventListener('abort', list.listener);
  }
}
