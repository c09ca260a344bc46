import { DelayedError, Queue, Job as QueueJob, UnrecoverableError, Worker } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { decode, encode } from './codec.js';
import type { Exempt } from './exempt.js';
import { DEFAULT_RETAIN_MS } from './file-store.js';
import { isJob, type Job } from './job.js';
import { exemptConnector } from './redis-connector.js';
import { describeRedisUrl } from './redis-url.js';
import { Abandoned, type AddOptions, type JobStore, type ListOptions, type StartOptions, type Work } from './store.js';

/** Options of {@link openRedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Key prefix, so several proxies (or tests) can share one Redis without seeing each other's jobs. */
  prefix: string;
  /**
   * How long a job being worked on stays claimed without a sign of life from its instance; after
   * that another instance takes it over (as interrupted). Renewed every third of it.
   */
  leaseMs: number;
  /** Finished jobs older than this are removed. */
  retainMs?: number;
  warn?: (line: string) => void;
  /** Opens the Redis connections past the egress policy (the server's `EgressGuard.exempt`). */
  exempt?: Exempt;
}

const QUEUE = 'jobs';
const JOB_TYPES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;
/** BullMQ fails a job that stalls more often than this; stalls are our crash recovery, so never. */
const MAX_STALLS = 1_000_000;

/**
 * A job as BullMQ stores it. BullMQ writes job data with JSON.stringify, which would round the
 * request's exact numbers, so the request travels as the codec's (lossless) JSON text.
 */
function toData(job: Job): Record<string, unknown> {
  return job.request === undefined ? { ...job } : { ...job, request: encode(job.request) };
}

/** The job a stored record holds, its request parsed back exactly; undefined for anything else. */
function fromData(data: unknown): Job | undefined {
  if (!isJob(data)) return undefined;
  const { request } = data as { request?: unknown };
  return typeof request === 'string' ? { ...data, request: decode(request) as Record<string, unknown> } : data;
}

/**
 * Jobs in Redis through BullMQ, shared by every proxy instance with the same URL and prefix:
 * any instance may accept a job, and any may run and deliver it. A job whose instance died is
 * taken over by another once its lease ends (BullMQ's stalled-job check).
 */
export async function openRedisStore(options: RedisStoreOptions): Promise<JobStore> {
  const warn = options.warn ?? (() => {});
  const retainS = Math.ceil((options.retainMs ?? DEFAULT_RETAIN_MS) / 1000);
  const where = describeRedisUrl(options.url);
  // The queue's connection fails fast while Redis is away, so an accept answers instead of hanging.
  // Redis is the proxy's own peer: its connections (and BullMQ's duplicates of them) skip the egress policy.
  const own: RedisOptions = options.exempt ? { Connector: exemptConnector(options.exempt) } : {};
  const client = new Redis(options.url, {
    ...own,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new Error(
      `CONNECTOR_PROXY_JOBS: cannot reach Redis at ${where}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const queue = new Queue(QUEUE, { connection: client, prefix: options.prefix });
  queue.on('error', (error) => warn(`jobs queue: ${error.message}`));
  await queue.waitUntilReady();

  const active = new Map<string, QueueJob>();
  const held = new Map<string, { job: QueueJob; timer: NodeJS.Timeout }>();
  let worker: Worker | undefined;
  let workerConnection: Redis | undefined;
  const keep = { removeOnComplete: { age: retainS }, removeOnFail: { age: retainS } };

  const find = async (id: string): Promise<QueueJob | undefined> =>
    active.get(id) ?? held.get(id)?.job ?? (await QueueJob.fromId(queue, id));

  const save = async (job: Job) => {
    const found = await find(job.id);
    if (!found) throw new Error(`job ${job.id} is no longer in Redis`);
    await found.updateData(toData(job));
  };

  return {
    kind: 'redis',
    async add(job: Job, addOptions: AddOptions = {}) {
      if (!addOptions.held) {
        await queue.add('job', toData(job), { jobId: job.id, ...keep });
        return;
      }
      // Held: delayed for one lease, and pushed back while this instance runs it. If this
      // instance dies, the delay runs out and another instance finds the job still running.
      const added = await queue.add('job', toData(job), { jobId: job.id, delay: options.leaseMs, ...keep });
      const timer = setInterval(
        () => {
          added
            .changeDelay(options.leaseMs)
            .catch((error: unknown) => warn(`job ${job.id}: lease not renewed: ${String(error)}`));
        },
        Math.max(100, Math.floor(options.leaseMs / 3)),
      );
      held.set(job.id, { job: added, timer });
    },
    save,
    async release(job) {
      const entry = held.get(job.id);
      held.delete(job.id);
      if (!entry) return save(job);
      clearInterval(entry.timer);
      if ((await entry.job.getState()) !== 'delayed') {
        warn(
          `job ${job.id}: its lease ran out while it ran here, another instance took it over; this result is dropped`,
        );
        return;
      }
      await entry.job.updateData(toData(job));
      await entry.job.promote();
    },
    async requeue(job) {
      const found = await QueueJob.fromId(queue, job.id);
      if (!found) return false;
      await found.updateData(toData(job));
      const state = await found.getState();
      if (state === 'failed' || state === 'completed') await found.retry(state);
      else if (state === 'delayed') await found.promote();
      return true;
    },
    async get(id) {
      const found = await QueueJob.fromId(queue, id);
      return found ? fromData(found.data) : undefined;
    },
    async list(listOptions: ListOptions = {}) {
      const found = await queue.getJobs([...JOB_TYPES], 0, 9_999);
      const jobs = found.flatMap((j) => {
        const job = j ? fromData(j.data) : undefined;
        return job ? [job] : [];
      });
      const picked = jobs.filter((j) => listOptions.state === undefined || j.state === listOptions.state);
      picked.sort((a, b) => b.createdAt - a.createdAt);
      return picked.slice(0, listOptions.limit ?? 100);
    },
    start(work: Work, startOptions: StartOptions) {
      workerConnection = new Redis(options.url, { ...own, maxRetriesPerRequest: null });
      workerConnection.on('error', () => {});
      worker = new Worker(
        QUEUE,
        async (queued, token) => {
          const job = fromData(queued.data);
          if (!job) throw new UnrecoverableError('not a connector-proxy job');
          active.set(job.id, queued);
          try {
            const next = await work(job);
            if (next.kind === 'later') {
              await queued.moveToDelayed(next.at, token);
              throw new DelayedError();
            }
            if (job.state === 'undeliverable') throw new UnrecoverableError(job.reason ?? 'undeliverable');
            return job.state;
          } catch (error) {
            // Left active: its lock runs out and another instance (or this one restarted) takes it.
            if (error instanceof Abandoned) await new Promise(() => {});
            throw error;
          } finally {
            active.delete(job.id);
          }
        },
        {
          connection: workerConnection,
          prefix: options.prefix,
          concurrency: Math.max(1, startOptions.concurrency),
          lockDuration: options.leaseMs,
          stalledInterval: Math.max(100, Math.floor(options.leaseMs / 2)),
          maxStalledCount: MAX_STALLS,
        },
      );
      worker.on('error', (error) => warn(`jobs worker: ${error.message}`));
    },
    async close(closeOptions = {}) {
      for (const { timer } of held.values()) clearInterval(timer);
      held.clear();
      await worker?.close(closeOptions.abandon === true);
      await queue.close();
      workerConnection?.disconnect();
      client.disconnect();
    },
  };
}
