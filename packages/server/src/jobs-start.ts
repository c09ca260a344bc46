import type { Registry } from '@connector-proxy/core';
import { createJobRunner, type JobRunner, type JobStore, openFileStore, openRedisStore } from '@connector-proxy/jobs';
import type { JobsConfig } from './config.js';
import type { EgressGuard } from './egress/hook.js';

/**
 * Opens the configured job store and starts the runner over it: jobs a crash left behind are
 * picked up first. Commands are looked up in the current registry each time a job starts, so a
 * development reload serves the jobs that come after it.
 */
export async function startJobs(
  config: JobsConfig,
  registry: () => Registry,
  warn: (line: string) => void,
  egress?: EgressGuard,
): Promise<JobRunner> {
  // The proxy's own connections (Redis, callbacks) are not a connector's: the policy does not apply.
  const exempt = egress ? { exempt: egress.exempt } : {};
  const store: JobStore =
    config.store.kind === 'file'
      ? await openFileStore({ dir: config.store.dir, warn })
      : await openRedisStore({
          url: config.store.url,
          prefix: config.store.prefix,
          leaseMs: config.leaseMs,
          warn,
          ...exempt,
        });
  const runner = createJobRunner({
    store,
    ...exempt,
    resolve: (id) => {
      const slash = id.indexOf('/');
      return registry().target(id.slice(0, slash), id.slice(slash + 1));
    },
    credential: config.credential,
    origins: config.callbackOrigins,
    ttlMs: config.callbackTtlMs,
    retry: { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs },
    ...(config.asyncAfterMs !== undefined ? { asyncAfterMs: config.asyncAfterMs } : {}),
    concurrency: config.concurrency,
    warn,
  });
  runner.start();
  return runner;
}
