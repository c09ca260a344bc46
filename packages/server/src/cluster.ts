import cluster, { type Worker } from 'node:cluster';

/** Options of {@link runCluster}. */
export interface ClusterOptions {
  /** How many worker processes serve the port. */
  workers: number;
  /** Resolves when the proxy is asked to stop (SIGINT/SIGTERM). */
  stopped: Promise<void>;
  /** How long workers may take to finish their requests once told to stop. */
  shutdownGraceMs: number;
  /** Where the primary's lifecycle lines go (a newline is added). */
  write: (line: string) => void;
}

/** A worker that lived this long was healthy: the next crash starts the backoff again. */
export const STABLE_AFTER_MS = 10_000;
const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 10_000;

/** How long to wait before replacing a worker, after `crashes` quick crashes in a row: doubling, capped. */
export function restartDelayMs(crashes: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, crashes - 1));
}

/**
 * Runs this program `workers` times with node:cluster, all serving one port, from the primary
 * process: a worker that dies is replaced (after a growing delay while they keep dying quickly,
 * so a crash loop does not spin), and when `stopped` resolves every worker gets SIGTERM and
 * finishes its requests. Resolves with the exit code: 0 after a shutdown, 1 when the workers
 * die before any of them listened (a startup mistake, which each worker reported itself).
 */
export function runCluster(options: ClusterOptions): Promise<number> {
  const { write } = options;
  return new Promise<number>((resolve) => {
    // Our own list of live workers: cluster.workers keeps a worker until its channel closes too.
    const started = new Map<Worker, number>();
    let everListened = false;
    let stopping = false;
    let crashes = 0;
    let exitCode = 0;
    let force: NodeJS.Timeout | undefined;
    const restarts = new Set<NodeJS.Timeout>();

    const fork = () => {
      const worker = cluster.fork();
      started.set(worker, Date.now());
    };
    const finishIfDone = () => {
      if (stopping && started.size === 0) {
        clearTimeout(force);
        cluster.off('exit', onExit);
        cluster.off('listening', onListening);
        resolve(exitCode);
      }
    };
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      for (const worker of started.keys()) worker.process.kill('SIGTERM');
      force = setTimeout(() => {
        for (const worker of started.keys()) worker.process.kill('SIGKILL');
      }, options.shutdownGraceMs + 5_000);
      force.unref();
      finishIfDone();
    };

    const onListening = (worker: Worker) => {
      everListened = true;
      write(`connector-proxy: worker ${worker.process.pid} listening`);
    };
    const onExit = (worker: Worker, code: number | null, signal: string | null) => {
      const lived = Date.now() - (started.get(worker) ?? Date.now());
      started.delete(worker);
      if (stopping) return finishIfDone();
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (!everListened) {
        write(`connector-proxy: worker ${worker.process.pid} exited (${how}) before serving; stopping`);
        return stop(1);
      }
      crashes = lived >= STABLE_AFTER_MS ? 1 : crashes + 1;
      const delay = restartDelayMs(crashes);
      write(
        `connector-proxy: worker ${worker.process.pid} exited (${how}); starting another in ${(delay / 1000).toFixed(1)} s`,
      );
      const timer = setTimeout(() => {
        restarts.delete(timer);
        fork();
      }, delay);
      restarts.add(timer);
    };

    cluster.on('listening', onListening);
    cluster.on('exit', onExit);
    write(`connector-proxy: primary ${process.pid} starting ${options.workers} workers on one port`);
    for (let i = 0; i < options.workers; i += 1) fork();
    options.stopped.then(() => {
      write('connector-proxy: shutting down the workers, finishing requests in flight');
      stop(0);
    });
  });
}
