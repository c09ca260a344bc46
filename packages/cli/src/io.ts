/** Where a verb reads its environment and writes its output; tests pass their own. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running verbs wait on it. */
  stopped: Promise<void>;
  /** True when stdout is a terminal: progress notes are shown only then, so piped output stays clean. */
  isTTY?: boolean;
  /** The file descriptor behind `stdout`, when there is one: `serve` writes its request log there, buffered. */
  stdoutFd?: number;
}

/** The real process's {@link Io}. */
export function processIo(): Io {
  // A reader that stops early (`connector-proxy list | head`) is not a failure of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: process.stdout.isTTY === true,
    stdoutFd: 1,
    stopped: new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
  };
}
