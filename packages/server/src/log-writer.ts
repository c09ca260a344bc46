import sonicBoom from 'sonic-boom';

// A CommonJS package: its class is a property of the default export.
const { SonicBoom } = sonicBoom;

/** Where request log lines go: buffered, written in batches, and never lost at a normal exit. */
export interface LogWriter {
  /** Queues one line; the newline is added. */
  write(line: string): void;
  /** Writes every queued line now, synchronously. */
  flushSync(): void;
  /** Writes what is queued and stops; later lines are written at once, unbuffered. */
  close(): void;
}

/** Options of {@link createLogWriter}. */
export interface LogWriterOptions {
  /** The file descriptor to write to; stdout by default. */
  fd?: number;
  /** How long a line may wait in the buffer when few arrive. */
  flushAfterMs?: number;
}

/**
 * Below PIPE_BUF, so a write to a pipe is atomic: the lines of several workers sharing stdout
 * interleave whole, never mid-line. A batch is written once it is about this long.
 */
const MAX_WRITE_BYTES = 4096;
const BATCH_BYTES = 3072;
const DEFAULT_FLUSH_AFTER_MS = 100;

/**
 * Creates a request log writer on a file descriptor. A line costs a string append: the system
 * call happens once per ~3 KB, or `flushAfterMs` after the first line of a quiet spell. Writes
 * are synchronous when they happen, so none is ever in flight: what is queued is written at
 * close, at `process.exit()` and before an uncaught exception ends the process. Only a kill
 * (SIGKILL, the OOM killer) loses lines, at most `flushAfterMs` worth.
 */
export function createLogWriter(options: LogWriterOptions = {}): LogWriter {
  const flushAfterMs = options.flushAfterMs ?? DEFAULT_FLUSH_AFTER_MS;
  // sonic-boom writes (partial writes, EAGAIN on a full pipe); the batching is done here, because
  // its own measures the whole pending buffer's byte length on every write (a copy of it, each line).
  const boom = new SonicBoom({ fd: options.fd ?? 1, sync: true, minLength: 0, maxWrite: MAX_WRITE_BYTES });
  // A reader that went away (EPIPE) must not crash the proxy; the lines are dropped instead.
  boom.on('error', () => {});
  let pending = '';
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const writePending = () => {
    if (pendingBytes === 0) return;
    const batch = pending;
    pending = '';
    pendingBytes = 0;
    try {
      boom.write(batch);
    } catch {
      // Nothing more can be done for a log that cannot be written.
    }
  };
  const flushQueued = () => {
    timer = undefined;
    writePending();
  };
  const flushSync = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writePending();
  };
  const onFatal = () => flushSync();
  process.on('exit', onFatal);
  process.on('uncaughtExceptionMonitor', onFatal);
  return {
    write(line) {
      const text = `${line}\n`;
      const bytes = Buffer.byteLength(text);
      // A batch never passes MAX_WRITE_BYTES, so each write to a pipe is atomic.
      if (pendingBytes + bytes > MAX_WRITE_BYTES) writePending();
      pending += text;
      pendingBytes += bytes;
      if (closed || pendingBytes >= BATCH_BYTES) {
        writePending();
        return;
      }
      if (timer === undefined) {
        timer = setTimeout(flushQueued, flushAfterMs);
        timer.unref();
      }
    },
    flushSync,
    close() {
      if (closed) return;
      flushSync();
      closed = true;
      process.off('exit', onFatal);
      process.off('uncaughtExceptionMonitor', onFatal);
    },
  };
}
