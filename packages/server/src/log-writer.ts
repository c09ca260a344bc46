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

/** UTF-8 takes at most 3 bytes for a UTF-16 code unit: a line that fits by this bound fits. */
const MAX_BYTES_PER_UNIT = 3;
const NEWLINE = 0x0a;
const SLAB_BYTES = 64 * 1024;

/**
 * Creates a request log writer on a file descriptor. A line costs its UTF-8 encoding into the
 * batch: the system call happens once per ~3 KB, or `flushAfterMs` after the first line of a
 * quiet spell. Writes are synchronous when they happen, so none is ever in flight: what is
 * queued is written at close, at `process.exit()` and before an uncaught exception ends the
 * process. Only a kill (SIGKILL, the OOM killer) loses lines, at most `flushAfterMs` worth.
 */
export function createLogWriter(options: LogWriterOptions = {}): LogWriter {
  const flushAfterMs = options.flushAfterMs ?? DEFAULT_FLUSH_AFTER_MS;
  // sonic-boom writes (partial writes, EAGAIN on a full pipe); the batching is done here, as bytes:
  // a string batch was measured, flattened and encoded again for every write, and sonic-boom's own
  // measures its whole pending buffer on every write.
  const boom = new SonicBoom({
    fd: options.fd ?? 1,
    sync: true,
    minLength: 0,
    maxWrite: MAX_WRITE_BYTES,
    contentMode: 'buffer',
  });
  // A reader that went away (EPIPE) must not crash the proxy; the lines are dropped instead.
  boom.on('error', () => {});
  // Batches are views into a slab, as Node's own Buffer pool does: one allocation per 16 batches.
  let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
  let slabUsed = 0;
  let batch = slab.subarray(0, MAX_WRITE_BYTES);
  let used = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const hand = (bytes: Buffer) => {
    try {
      // contentMode 'buffer' takes a Buffer; sonic-boom's types still say string.
      boom.write(bytes as unknown as string);
    } catch {
      // Nothing more can be done for a log that cannot be written.
    }
  };
  const writePending = () => {
    if (used === 0) return;
    // sonic-boom keeps what a partial write left of the bytes it was given: the next batch starts after them.
    const full = batch.subarray(0, used);
    slabUsed += used;
    if (slabUsed + MAX_WRITE_BYTES > SLAB_BYTES) {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      slabUsed = 0;
    }
    batch = slab.subarray(slabUsed, slabUsed + MAX_WRITE_BYTES);
    used = 0;
    hand(full);
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
      // A batch never passes MAX_WRITE_BYTES, so each write to a pipe is atomic.
      const most = line.length * MAX_BYTES_PER_UNIT + 1;
      if (most > MAX_WRITE_BYTES - used) {
        writePending();
        if (most > MAX_WRITE_BYTES) {
          // A line longer than any batch goes alone.
          hand(Buffer.from(`${line}\n`));
          return;
        }
      }
      used += batch.write(line, used);
      batch[used++] = NEWLINE;
      if (closed || used >= BATCH_BYTES) {
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
