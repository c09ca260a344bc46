import type { Io } from '../src/io.js';

/** An {@link Io} for tests: captured output, a chosen environment and folder, and a stop button. */
export interface FakeIo extends Io {
  out(): string;
  err(): string;
  /** Resolves `stopped`, as SIGINT would. */
  stop(): void;
  /** Waits until stdout matches, and returns the match. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function createFakeIo(options: {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Pretend stdout is a terminal. */
  isTTY?: boolean;
}): FakeIo {
  let stdout = '';
  let stderr = '';
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return {
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
    // Request logs off unless a test asks for them, so output holds only what the verb says.
    env: { CONNECTOR_PROXY_LOG_FORMAT: 'off', ...options.env },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stopped,
    out: () => stdout,
    err: () => stderr,
    stop: () => stop(),
    async waitForOutput(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = stdout.match(pattern);
        if (match) return match;
        if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
