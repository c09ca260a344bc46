import { resolve } from 'node:path';
import { isFinished, type Job } from './job.js';
import { Journal } from './journal.js';
import { Abandoned, type AddOptions, type JobStore, type ListOptions, type StartOptions, type Work } from './store.js';

/** Options of {@link openFileStore}. */
export interface FileStoreOptions {
  /** The folder of the journal (created with mode 0700). */
  dir: string;
  /** Finished jobs older than this are dropped when the journal is compacted. */
  retainMs?: number;
  /** Receives one-line notes (a torn last line, a failed job step). */
  warn?: (line: string) => void;
}

/** The default folder, beside the working directory. */
/** Finished jobs are kept a week for `GET /v1/jobs/<id>` and re-delivery. */
export const DEFAULT_RETAIN_MS = 7 * 24 * 3_600_000;
/** setTimeout fires at once for longer delays. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** After a step failed (the disk is full, say), the job is tried again this much later. */
const STEP_FAILURE_DELAY_MS = 5_000;

/**
 * The embedded store: jobs in memory, every change in an append-only journal on local disk,
 * run by this one process. Needs no service; a restarted proxy picks up where it stopped.
 */
export async function openFileStore(options: FileStoreOptions): Promise<JobStore> {
  const dir = resolve(options.dir);
  const warn = options.warn ?? (() => {});
  const retainMs = options.retainMs ?? DEFAULT_RETAIN_MS;
  const { journal, jobs } = await Journal.open(dir, warn);
  const held = new Set<string>();
  const timers = new Map<string, NodeJS.Timeout>();
  const due: string[] = [];
  const active = new Map<string, Promise<void>>();
  let work: Work | undefined;
  let concurrency = 1;
  let closing = false;
  let compacting = false;

  const prune = () => {
    const before = Date.now() - retainMs;
    for (const [id, job] of jobs) {
      if (isFinished(job.state) && (job.endedAt ?? job.createdAt) < before) jobs.delete(id);
    }
    return jobs.values();
  };
  await journal.compact(prune);

  const schedule = (id: string, at: number) => {
    clearTimeout(timers.get(id));
    timers.delete(id);
    const wait = at - Date.now();
    if (wait <= 0) {
      due.push(id);
      pump();
      return;
    }
    timers.set(
      id,
      setTimeout(
        () => {
          timers.delete(id);
          due.push(id);
          pump();
        },
        Math.min(wait, MAX_TIMER_MS),
      ),
    );
  };

  const pump = () => {
    while (work && !closing && active.size < concurrency && due.length > 0) {
      const id = due.shift() ?? '';
      const job = jobs.get(id);
      if (!job || isFinished(job.state) || held.has(id) || active.has(id)) continue;
      const step = work({ ...job }).then(
        (next) => {
          if (next.kind === 'later') schedule(id, next.at);
        },
        (error: unknown) => {
          if (error instanceof Abandoned || closing) return;
          warn(`job ${id}: ${error instanceof Error ? error.message : String(error)}; trying again shortly`);
          schedule(id, Date.now() + STEP_FAILURE_DELAY_MS);
        },
      );
      active.set(
        id,
        step.finally(() => {
          active.delete(id);
          pump();
        }),
      );
    }
  };

  const write = async (job: Job) => {
    jobs.set(job.id, { ...job });
    await journal.put(job);
    if (!compacting && journal.linesSinceCompaction > Math.max(1_000, jobs.size * 4)) {
      compacting = true;
      journal
        .compact(prune)
        .catch((error: unknown) => warn(`job journal: compaction failed: ${String(error)}`))
        .finally(() => {
          compacting = false;
        });
    }
  };

  return {
    kind: 'file',
    async add(job: Job, addOptions: AddOptions = {}) {
      if (addOptions.held) held.add(job.id);
      await write(job);
      if (!addOptions.held) schedule(job.id, Date.now());
    },
    save: write,
    async release(job) {
      held.delete(job.id);
      await write(job);
      schedule(job.id, job.nextAttemptAt ?? Date.now());
    },
    async requeue(job) {
      if (!jobs.has(job.id)) return false;
      await write(job);
      schedule(job.id, Date.now());
      return true;
    },
    async get(id) {
      const job = jobs.get(id);
      return job ? { ...job } : undefined;
    },
    async list(listOptions: ListOptions = {}) {
      const all = [...jobs.values()].filter((j) => listOptions.state === undefined || j.state === listOptions.state);
      all.sort((a, b) => b.createdAt - a.createdAt);
      return all.slice(0, listOptions.limit ?? 100).map((j) => ({ ...j }));
    },
    start(w: Work, startOptions: StartOptions) {
      work = w;
      concurrency = Math.max(1, startOptions.concurrency);
      const now = Date.now();
      // Oldest first, so jobs accepted before a crash are picked up in the order they came.
      const waiting = [...jobs.values()].filter((j) => !isFinished(j.state) && !held.has(j.id));
      waiting.sort((a, b) => a.createdAt - b.createdAt);
      for (const job of waiting) schedule(job.id, job.state === 'delivering' ? (job.nextAttemptAt ?? now) : now);
    },
    async close(closeOptions = {}) {
      closing = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      if (!closeOptions.abandon) await Promise.allSettled(active.values());
      await journal.close();
    },
  };
}
