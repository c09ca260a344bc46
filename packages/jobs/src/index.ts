export type { BackoffOptions } from './backoff.js';
export { backoffMs, readRetryAfter } from './backoff.js';
export type { AttemptOutcome, CallbackAgents, CallbackCredential, DeliverOptions } from './delivery.js';
export { createCallbackAgents, credentialHeader, deliverOnce } from './delivery.js';
export { CALLBACK_NOT_ALLOWED } from './envelope.js';
export type { Exempt } from './exempt.js';
export type { FileStoreOptions } from './file-store.js';
export { DEFAULT_RETAIN_MS, openFileStore } from './file-store.js';
export type { ArenaAnswer, Job, JobState, JobView } from './job.js';
export { isFinished, isJobState, JOB_STATES, toJobView } from './job.js';
export type { OriginCheck } from './origins.js';
export { createOriginCheck, toOrigin } from './origins.js';
export { openRedisStore } from './redis.js';
export type { RedisStoreOptions } from './redis-store.js';
export { describeRedisUrl } from './redis-url.js';
export type {
  Handled,
  JobRequest,
  JobRunner,
  JobRunnerOptions,
  Redelivery,
  ResolveCommand,
} from './runner.js';
export {
  createJobRunner,
  DEFAULT_ATTEMPT_TIMEOUT_MS,
} from './runner.js';
export {
  ASYNC_AFTER_LIMIT_MS,
  DEFAULT_CALLBACK_TTL_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_DATA_DIR,
  DEFAULT_RETRY,
} from './settings.js';
export type { AddOptions, JobStore, ListOptions, Next, StartOptions, Work } from './store.js';
export { Abandoned } from './store.js';
