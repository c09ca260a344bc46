/** Where a job is in its life: run the command, then deliver its result to the callback URL. */
export type JobState = 'queued' | 'running' | 'delivering' | 'delivered' | 'undeliverable';

/** Every state, in the order a job passes through them. */
export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'delivering', 'delivered', 'undeliverable'];

/** What SpiffArena's callback endpoint answered to one delivery attempt (or why there was no answer). */
export interface ArenaAnswer {
  /** When the attempt ended, epoch ms. */
  at: number;
  /** The HTTP status; absent when the request failed before an answer (refused, reset, timed out). */
  status?: number;
  /** The first part of Arena's answer body (its error_code and message are in there). */
  body?: string;
  /** Why no answer came (`ECONNREFUSED`, `TimeoutError` ...). */
  error?: string;
}

/** One accepted long-running command: what it runs, where its result goes, and how far it got. */
export interface Job {
  id: string;
  /** `connector/Command`. */
  command: string;
  state: JobState;
  /** The request's `spiff__callback_url`: the result is PUT there and nowhere else. */
  callbackUrl: string;
  /** Declared by the command: it may run again after a crash. */
  idempotent: boolean;
  /** The background deadline of the command, in ms. */
  timeoutMs: number;
  /** The request body (parameters and `spiff__` keys); dropped as soon as the command finished. */
  request?: Record<string, unknown>;
  /** The callback envelope, serialized once; dropped once Arena accepted it. */
  result?: string;
  /** The result's `error_code`, or null for a success; set when the command finished. */
  errorCode?: string | null;
  /** Times the command was started (more than 1 after a crash, for an idempotent command). */
  runs: number;
  /** Delivery attempts made. */
  attempts: number;
  /** Set while an attempt is on its way: after a crash, its outcome is unknown. */
  sendingSince?: number;
  lastAnswer?: ArenaAnswer;
  /** When the next delivery attempt is due, epoch ms. */
  nextAttemptAt?: number;
  /** Delivery gives up at this time (the result's time plus the callback TTL). */
  deliverBefore?: number;
  /** Why the job ended undeliverable, or a note on how it was delivered. */
  reason?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  endedAt?: number;
}

/** True for one of the job states (a query parameter, say). */
export function isJobState(value: unknown): value is JobState {
  return typeof value === 'string' && (JOB_STATES as readonly string[]).includes(value);
}

/** True for the two states a job ends in. */
export function isFinished(state: JobState): state is 'delivered' | 'undeliverable' {
  return state === 'delivered' || state === 'undeliverable';
}

/** What `GET /v1/jobs/<id>` shows of a job: never its parameters or its result. */
export interface JobView {
  job_id: string;
  command: string;
  state: JobState;
  callback_url: string;
  runs: number;
  attempts: number;
  error_code: string | null;
  last_answer: { at: string; status: number | null; body: string | null; error: string | null } | null;
  reason: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  next_attempt_at: string | null;
  ended_at: string | null;
}

/** The public view of a job. */
export function toJobView(job: Job): JobView {
  const time = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const answer = job.lastAnswer;
  return {
    job_id: job.id,
    command: job.command,
    state: job.state,
    callback_url: job.callbackUrl,
    runs: job.runs,
    attempts: job.attempts,
    error_code: job.errorCode ?? null,
    last_answer: answer
      ? {
          at: new Date(answer.at).toISOString(),
          status: answer.status ?? null,
          body: answer.body ?? null,
          error: answer.error ?? null,
        }
      : null,
    reason: job.reason ?? null,
    created_at: new Date(job.createdAt).toISOString(),
    started_at: time(job.startedAt),
    finished_at: time(job.finishedAt),
    next_attempt_at: job.state === 'delivering' ? time(job.nextAttemptAt) : null,
    ended_at: time(job.endedAt),
  };
}

/** True for a value read back from a store that has a job's required fields. */
export function isJob(value: unknown): value is Job {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.command === 'string' &&
    isJobState(v.state) &&
    typeof v.callbackUrl === 'string' &&
    typeof v.createdAt === 'number'
  );
}
