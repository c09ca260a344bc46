import type { Job, JobState } from './job.js';

/** What a worker answers for a job it was handed: finished, or hand it back at `at` (epoch ms). */
export type Next = { kind: 'done' } | { kind: 'later'; at: number };

/** Processes one job handed out by a store. */
export type Work = (job: Job) => Promise<Next>;

/** Options of {@link JobStore.add}. */
export interface AddOptions {
  /**
   * The job is already running in this instance (a command switched to the callback path): no
   * worker is handed it until {@link JobStore.release}. If this instance dies first, the job is
   * handed out again, still `running`, and recovery decides.
   */
  held?: boolean;
}

/** Options of {@link JobStore.start}. */
export interface StartOptions {
  /** Jobs processed at once by this instance. */
  concurrency: number;
}

/** Which jobs {@link JobStore.list} returns. */
export interface ListOptions {
  state?: JobState;
  /** At most this many, newest first. */
  limit?: number;
}

/**
 * Where jobs live and who runs them next. A store hands each due job to one worker at a time,
 * across every proxy instance that shares it; a job handed out while `running` was interrupted
 * (its instance died), which is how crash recovery starts.
 */
export interface JobStore {
  /** `file` or `redis`, for messages. */
  readonly kind: string;
  /** Records a new job; resolves only once the job would survive a crash (the 202 waits for it). */
  add(job: Job, options?: AddOptions): Promise<void>;
  /** Records a job's new state durably. */
  save(job: Job): Promise<void>;
  /** Hands a held job to the workers, its current state saved first. */
  release(job: Job): Promise<void>;
  /** Schedules a job again now, its current state saved first (re-delivery); false when unknown. */
  requeue(job: Job): Promise<boolean>;
  get(id: string): Promise<Job | undefined>;
  list(options?: ListOptions): Promise<Job[]>;
  /** Starts handing due jobs to `work`. */
  start(work: Work, options: StartOptions): void;
  /**
   * Stops handing out jobs. With `abandon`, work still in progress is left as it is, to be
   * handed out again later (as after a crash); otherwise close waits for it.
   */
  close(options?: { abandon?: boolean }): Promise<void>;
}

/**
 * Thrown by work that stopped because the proxy is shutting down: the job keeps the state it had,
 * and is handed out again later (by this instance after a restart, or by another one).
 */
export class Abandoned extends Error {
  override readonly name = 'Abandoned';
}
