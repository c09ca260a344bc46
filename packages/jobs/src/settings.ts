/**
 * The settings of long-running commands that a configuration reader needs, with no I/O, so the
 * server's runtime-free entry can check them (`@connector-proxy/jobs/settings`).
 */
import type { BackoffOptions } from './backoff.js';

export type { CallbackCredential } from './delivery.js';
export { toOrigin } from './origins.js';

/** CONNECTOR_PROXY_ASYNC_AFTER_MS must stay below the backend's 45 s. */
export const ASYNC_AFTER_LIMIT_MS = 45_000;
/** How long delivery of a result is retried. */
export const DEFAULT_CALLBACK_TTL_MS = 24 * 3_600_000;
/** The first retry waits about the base, each next one twice as long, up to the max. */
export const DEFAULT_RETRY: BackoffOptions = { baseMs: 1_000, maxMs: 300_000 };
/** Jobs one instance runs and delivers at once. */
export const DEFAULT_CONCURRENCY = 100;
/** The file journal's folder, beside the working directory. */
export const DEFAULT_DATA_DIR = '.connector-proxy-data';
export type { Exempt } from './exempt.js';
export type { Job, JobState, JobView } from './job.js';
export { isJobState, JOB_STATES, toJobView } from './job.js';
