import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  DEFAULT_LONG_RUNNING_TIMEOUT_MS,
  ErrorCode,
  failedWith,
  type Invocation,
  type InvokeOptions,
  invoke,
  isPlainObject,
  longRunningTimeoutMs,
  RequestKey,
  rejected,
  type Target,
  toCallbackEnvelope,
  toEnvelope,
  type WireResponse,
} from '@connector-proxy/core';
import { type BackoffOptions, backoffMs, readRetryAfter } from './backoff.js';
import { encode } from './codec.js';
import { type CallbackCredential, createCallbackAgents, deliverOnce } from './delivery.js';
import { CALLBACK_NOT_ALLOWED, serializeCallback, toFailureEnvelope } from './envelope.js';
import type { Exempt } from './exempt.js';
import type { Job, JobState } from './job.js';
import { createJobMetrics } from './metrics.js';
import { createOriginCheck } from './origins.js';
import { findParamProblems } from './params.js';
import { DEFAULT_CALLBACK_TTL_MS, DEFAULT_CONCURRENCY, DEFAULT_RETRY } from './settings.js';
import { Abandoned, type JobStore, type Next } from './store.js';

/** One delivery attempt may take this long: Arena locks the instance (retrying for up to 6 s) and runs engine steps. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 60_000;

/** One `/v1/do` request, as the server has it after finding the command and parsing the body. */
export interface JobRequest {
  target: Target;
  body: unknown;
  /** How the server invokes the command synchronously (its deadline, the shutdown signal). */
  options: InvokeOptions;
}

/** What the runner made of a request: an invocation to answer as usual, or the 202 of an accepted job. */
export type Handled = { kind: 'invocation'; invocation: Invocation } | { kind: 'accepted'; response: WireResponse };

/** A loaded command with its connector's configuration and services, found by id when a job is picked up. */
export type ResolveCommand = (id: string) => Target | undefined;

/** Options of {@link createJobRunner}. */
export interface JobRunnerOptions {
  store: JobStore;
  /** Opens callback connections past the egress policy (the server's `EgressGuard.exempt`). */
  exempt?: Exempt;
  resolve: ResolveCommand;
  credential: CallbackCredential;
  /** The origins a callback URL may have (`https://arena.example.com`). */
  origins: readonly string[];
  /** Delivery gives up this long after the result was ready. */
  ttlMs?: number;
  retry?: BackoffOptions;
  /** Switch any command still running after this many ms to the callback path. */
  asyncAfterMs?: number;
  attemptTimeoutMs?: number;
  concurrency?: number;
  warn?: (line: string) => void;
}

/** Answer of {@link JobRunner.redeliver}. */
export type Redelivery = { ok: true; job: Job } | { ok: false; status: 404 | 409; problem: string };

/** Runs long-running commands in the background and delivers their results to SpiffArena. */
export interface JobRunner {
  /** Starts working on stored jobs: those left by a crash first (recovery), then new ones. */
  start(): void;
  /** Takes a `/v1/do` request when it is long-running (or may become so); undefined leaves it to the server. */
  handle(request: JobRequest): Promise<Handled | undefined>;
  get(id: string): Promise<Job | undefined>;
  list(options?: { state?: JobState; limit?: number }): Promise<Job[]>;
  /** Delivers an undeliverable job's result again (after a configuration fix). */
  redeliver(id: string): Promise<Redelivery>;
  /** Prometheus text of the job counters. */
  metrics(): string;
  /** Stops taking jobs; lets work in progress finish for `graceMs`, then leaves the rest for recovery. */
  close(graceMs?: number): Promise<void>;
}

/** Creates the runner over a store. */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, resolve, credential } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_CALLBACK_TTL_MS;
  const retry = options.retry ?? DEFAULT_RETRY;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  const warn = options.warn ?? (() => {});
  const checkOrigin = createOriginCheck(options.origins);
  const metrics = createJobMetrics();
  const agents = createCallbackAgents(options.exempt);
  const shutdown = new AbortController();
  // Every running job and delivery listens to it: that many listeners are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  const inflight = new Set<Promise<unknown>>();
  let closing = false;

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inflight.add(promise);
    promise.then(
      () => inflight.delete(promise),
      () => inflight.delete(promise),
    );
    return promise;
  };

  /** Records a finished command: the callback envelope replaces the request, delivery is next. */
  const finish = (job: Job, envelopeText: string, errorCode: string | null) => {
    const now = Date.now();
    job.result = envelopeText;
    job.errorCode = errorCode;
    delete job.request;
    job.state = 'delivering';
    job.finishedAt = now;
    job.deliverBefore = now + ttlMs;
    job.nextAttemptAt = now;
  };

  const finishWith = (job: Job, invocation: Invocation) => {
    const envelope = toCallbackEnvelope(invocation);
    finish(job, serializeCallback(envelope), envelope.error?.error_code ?? null);
  };

  const finishWithFailure = (job: Job, code: string, message: string, httpStatus?: number) => {
    finish(job, encode(toFailureEnvelope(code, message, httpStatus)), code);
  };

  const end = async (job: Job, state: 'delivered' | 'undeliverable', reason?: string) => {
    const now = Date.now();
    job.state = state;
    job.endedAt = now;
    delete job.nextAttemptAt;
    delete job.sendingSince;
    if (reason === undefined) delete job.reason;
    else job.reason = reason;
    // A delivered result is SpiffArena's now; an undeliverable one is kept for re-delivery.
    if (state === 'delivered') delete job.result;
    if (state === 'delivered') metrics.delivered(now - (job.finishedAt ?? now));
    else metrics.undeliverable();
    await store.save(job);
  };

  const run = async (job: Job) => {
    const target = resolve(job.command);
    if (!target || !job.request) {
      const message = target
        ? 'the job has no request left to run'
        : `there is no command ${JSON.stringify(job.command)} in this proxy any more`;
      finishWithFailure(job, target ? ErrorCode.CommandInterrupted : ErrorCode.CommandNotFound, message);
      await store.save(job);
      return;
    }
    job.state = 'running';
    job.runs += 1;
    job.startedAt = Date.now();
    await store.save(job);
    const invocation = await invoke(target, job.request, {
      timeoutMs: job.timeoutMs,
      background: true,
      signal: shutdown.signal,
    });
    if (shutdown.signal.aborted && isFailure(invocation)) throw new Abandoned('the proxy stopped during the run');
    finishWith(job, invocation);
    await store.save(job);
  };

  const interrupt = async (job: Job) => {
    const since = job.startedAt === undefined ? '' : ` (started ${new Date(job.startedAt).toISOString()})`;
    finishWithFailure(
      job,
      ErrorCode.CommandInterrupted,
      `the proxy stopped while ${job.command} was running${since}; it is not declared idempotent, so it was not run again`,
      503,
    );
    await store.save(job);
  };

  const deliver = async (job: Job): Promise<Next> => {
    const now = Date.now();
    if (job.result === undefined) {
      await end(job, 'undeliverable', 'the job has no result to deliver');
      return { kind: 'done' };
    }
    if (job.deliverBefore !== undefined && now >= job.deliverBefore) {
      await end(job, 'undeliverable', `not accepted within CONNECTOR_PROXY_CALLBACK_TTL_MS (${ttlMs} ms)`);
      return { kind: 'done' };
    }
    const origin = checkOrigin(job.callbackUrl);
    if (!origin.ok) {
      await end(job, 'undeliverable', origin.problem);
      return { kind: 'done' };
    }
    const uncertain = job.sendingSince !== undefined;
    job.sendingSince = now;
    await store.save(job);
    let attempt: Awaited<ReturnType<typeof deliverOnce>>;
    try {
      attempt = await deliverOnce(origin.url.href, job.result, {
        credential,
        timeoutMs: attemptTimeoutMs,
        signal: shutdown.signal,
        agents,
      });
    } catch (error) {
      if (shutdown.signal.aborted) throw new Abandoned('the proxy stopped during a delivery');
      throw error;
    }
    job.attempts += 1;
    job.lastAnswer = attempt.answer;
    delete job.sendingSince;
    if (attempt.outcome === 'delivered') {
      await end(job, 'delivered');
      return { kind: 'done' };
    }
    if (attempt.outcome === 'refused') {
      if (uncertain && isNoLongerWaiting(attempt.answer.status, attempt.answer.body)) {
        await end(
          job,
          'delivered',
          'an earlier attempt was cut off when the proxy stopped; SpiffArena now says the task no longer waits, so that attempt was accepted',
        );
      } else {
        await end(job, 'undeliverable', `SpiffArena refused the callback with HTTP ${attempt.answer.status}`);
      }
      return { kind: 'done' };
    }
    const wait = readRetryAfter(attempt.retryAfter, Date.now()) ?? backoffMs(job.attempts, retry);
    const at = Date.now() + wait;
    if (job.deliverBefore !== undefined && at >= job.deliverBefore) {
      await end(job, 'undeliverable', `not accepted within CONNECTOR_PROXY_CALLBACK_TTL_MS (${ttlMs} ms)`);
      return { kind: 'done' };
    }
    job.nextAttemptAt = at;
    await store.save(job);
    metrics.retried();
    return { kind: 'later', at };
  };

  /** One job handed out by the store: run it (or decide about an interrupted run), then deliver. */
  const work = (job: Job): Promise<Next> => {
    if (closing) return Promise.reject(new Abandoned('the proxy is stopping'));
    return track(
      (async (): Promise<Next> => {
        if (job.state === 'queued') {
          await run(job);
        } else if (job.state === 'running') {
          // Handed out while running: the instance that ran it stopped before it finished.
          if (job.idempotent && job.request) await run(job);
          else await interrupt(job);
        }
        if (job.state === 'delivering') return deliver(job);
        return { kind: 'done' };
      })(),
    );
  };

  const newJob = (request: JobRequest, callbackUrl: string, timeoutMs: number, state: JobState): Job => ({
    id: randomUUID(),
    command: request.target.id,
    state,
    callbackUrl,
    idempotent: request.target.command.idempotent === true,
    timeoutMs,
    ...(isPlainObject(request.body) ? { request: request.body } : {}),
    runs: state === 'running' ? 1 : 0,
    attempts: 0,
    createdAt: Date.now(),
    ...(state === 'running' ? { startedAt: Date.now() } : {}),
  });

  /** Runs a command that may be switched to the callback path if it is still running after `after` ms. */
  const runSwitchable = async (request: JobRequest, callbackUrl: string, after: number): Promise<Handled> => {
    const timeoutMs = longRunningTimeoutMs(request.target.command) ?? DEFAULT_LONG_RUNNING_TIMEOUT_MS;
    const abort = new AbortController();
    const stop = () => abort.abort(shutdown.signal.reason);
    shutdown.signal.addEventListener('abort', stop, { once: true });
    const running = invoke(request.target, request.body, {
      timeoutMs,
      background: true,
      signal: abort.signal,
    });
    running.finally(() => shutdown.signal.removeEventListener('abort', stop)).catch(() => {});
    let timer: NodeJS.Timeout | undefined;
    const first = await Promise.race([
      running.then((invocation) => ({ invocation })),
      new Promise<undefined>((r) => {
        timer = setTimeout(() => r(undefined), after);
      }),
    ]);
    clearTimeout(timer);
    if (first) return { kind: 'invocation', invocation: first.invocation };
    const job = newJob(request, callbackUrl, timeoutMs, 'running');
    try {
      await store.add(job, { held: true });
    } catch (error) {
      abort.abort(error);
      throw error;
    }
    metrics.accepted();
    track(
      running.then(async (invocation) => {
        if (shutdown.signal.aborted && isFailure(invocation)) return;
        finishWith(job, invocation);
        await store.release(job);
      }),
    ).catch((error: unknown) => warn(`job ${job.id}: ${error instanceof Error ? error.message : String(error)}`));
    return { kind: 'accepted', response: acceptedResponse(job) };
  };

  return {
    start() {
      store.start(work, { concurrency: options.concurrency ?? DEFAULT_CONCURRENCY });
    },

    async handle(request) {
      const longRunning = longRunningTimeoutMs(request.target.command);
      if (longRunning === undefined && options.asyncAfterMs === undefined) return undefined;
      const body = request.body;
      const callbackUrl = isPlainObject(body) ? body[RequestKey.callbackUrl] : undefined;
      if (typeof callbackUrl !== 'string' || callbackUrl === '') {
        if (longRunning === undefined) return undefined;
        return ranSynchronously(request, 'ran synchronously: the request has no spiff__callback_url');
      }
      const origin = checkOrigin(callbackUrl);
      if (!origin.ok) {
        if (longRunning === undefined) return undefined;
        return { kind: 'invocation', invocation: failedWith('command', CALLBACK_NOT_ALLOWED, origin.problem, [], 403) };
      }
      if (closing) {
        const message = 'the proxy is shutting down and accepts no new jobs; try again';
        return {
          kind: 'invocation',
          invocation: failedWith('shutting_down', ErrorCode.ProxyShuttingDown, message, [], 503),
        };
      }
      if (!isPlainObject(body)) return undefined;
      const problems = findParamProblems(request.target.command, body);
      if (problems.length > 0) {
        const invocation = rejected(
          'invalid_parameters',
          ErrorCode.InvalidParameters,
          `invalid parameters: ${problems.join('; ')}`,
        );
        return { kind: 'invocation', invocation };
      }
      if (longRunning === undefined) return runSwitchable(request, callbackUrl, options.asyncAfterMs ?? 0);
      const job = newJob(request, callbackUrl, longRunning, 'queued');
      await store.add(job);
      metrics.accepted();
      return { kind: 'accepted', response: acceptedResponse(job) };
    },

    get: (id) => store.get(id),
    list: (listOptions) => store.list(listOptions),

    async redeliver(id) {
      const job = await store.get(id);
      if (!job) return { ok: false, status: 404, problem: `there is no job ${JSON.stringify(id)}` };
      if (job.state !== 'undeliverable') {
        return {
          ok: false,
          status: 409,
          problem: `only an undeliverable job can be delivered again; this one is ${job.state}`,
        };
      }
      const now = Date.now();
      job.state = 'delivering';
      job.deliverBefore = now + ttlMs;
      job.nextAttemptAt = now;
      delete job.endedAt;
      delete job.reason;
      delete job.sendingSince;
      if (!(await store.requeue(job)))
        return { ok: false, status: 404, problem: `there is no job ${JSON.stringify(id)}` };
      return { ok: true, job };
    },

    metrics: () => metrics.render(),

    async close(graceMs = 0) {
      if (closing) return;
      closing = true;
      const settled = Promise.allSettled([...inflight]);
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'late'>((r) => {
        timer = setTimeout(() => r('late'), graceMs);
      });
      const outcome = await Promise.race([settled, graceOver]);
      clearTimeout(timer);
      if (outcome === 'late') {
        shutdown.abort(new Error('the proxy is shutting down'));
        // Commands that honour their signal settle at once; the others are left for recovery.
        await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 1_000))]);
      }
      await store.close({ abandon: inflight.size > 0 });
      agents.http.destroy();
      agents.https.destroy();
    },
  };

  async function ranSynchronously(request: JobRequest, note: string): Promise<Handled> {
    const invocation = await invoke(request.target, request.body, request.options);
    if (invocation.kind === 'v2') invocation.envelope.spiff__logs.unshift(note);
    return { kind: 'invocation', invocation };
  }
}

/** The 202: a version-2 envelope whose body tells where to follow the job. */
function acceptedResponse(job: Job): WireResponse {
  const body = { job_id: job.id, status: job.state, status_url: `/v1/jobs/${job.id}` };
  const envelope = toEnvelope({ body, mimetype: 'application/json' }, null, [
    `accepted as job ${job.id}: the result will be delivered to the callback URL`,
  ]);
  return { status: 202, headers: { 'Content-Type': 'application/json' }, body: encode(envelope) };
}

function isFailure(invocation: Invocation): boolean {
  return invocation.kind === 'v2' && invocation.envelope.error !== null;
}

/** SpiffArena's 400 for a callback to a task that was already completed (or is gone). */
function isNoLongerWaiting(status: number | undefined, body: string | undefined): boolean {
  return status === 400 && /"(not_waiting_for_callback|callback_not_found)"/.test(body ?? '');
}
