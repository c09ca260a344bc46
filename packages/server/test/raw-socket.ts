/** A client that writes bytes as it likes (drips, hangs up, sends broken framing) to a real port. */
import { connect } from 'node:net';

/** What a raw exchange saw. */
export interface RawExchange {
  /** Everything the server sent. */
  received: string;
  /** Milliseconds from connecting until the server closed the connection, or undefined when we did. */
  closedAfterMs: number | undefined;
}

/** Options of {@link exchange}. */
export interface ExchangeOptions {
  /** Pause between two parts, in ms. */
  gapMs?: number;
  /** Hang up this many ms after the last part; by default, wait for the server to close. */
  hangUpAfterMs?: number;
  /** Give up waiting after this many ms (the test fails on the missing answer instead of hanging). */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Connects to 127.0.0.1:port, writes each part (with `gapMs` between), then waits or hangs up. */
export async function exchange(
  port: number,
  parts: readonly string[],
  options: ExchangeOptions = {},
): Promise<RawExchange> {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let closedAfterMs: number | undefined;
  let weClosed = false;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      if (!weClosed) closedAfterMs = Date.now() - started;
      resolve();
    }),
  );
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  for (const [i, part] of parts.entries()) {
    if (socket.destroyed) break;
    if (i > 0 && options.gapMs) await sleep(options.gapMs);
    socket.write(part);
  }
  if (options.hangUpAfterMs !== undefined) {
    await sleep(options.hangUpAfterMs);
    weClosed = true;
    socket.destroy();
    await closed;
    return { received, closedAfterMs: undefined };
  }
  const timer = setTimeout(() => {
    weClosed = true;
    socket.destroy();
  }, options.timeoutMs ?? 5_000);
  await closed;
  clearTimeout(timer);
  return { received, closedAfterMs };
}

/** The status code of the first answer in `received`, or undefined when nothing came. */
export function statusOf(received: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
  return match ? Number(match[1]) : undefined;
}

/** Waits until `check` is true (polling), or fails after `ms`. */
export async function eventually(check: () => boolean, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('the expected condition did not happen in time');
    await sleep(10);
  }
}
