import { type Coerced, defineServices, param } from '@connector-proxy/core';
import type { Aws, AwsClientOptions } from './sdk.js';

/** The SDK's own default: one call and two retries, in its standard retry mode. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** The connector's shared SDK clients, created at the first AWS call. */
export interface AwsServices {
  /** The clients; the first call imports the SDK and creates them, later calls reuse them. */
  load(): Promise<Aws>;
}

/**
 * connector-aws's configuration and its SDK clients: created once, at the first AWS call, and
 * destroyed at shutdown or before a dev reload. Credentials, region and endpoints are the SDK's
 * (its default chain reads `AWS_*` variables, profiles and instance roles), so a proxy without
 * AWS settings still starts.
 */
export const services = defineServices({
  config: {
    S3_FORCE_PATH_STYLE: param
      .bool('Path-style S3 URLs (endpoint/bucket/key), for S3-compatible servers without virtual-host buckets')
      .default(false),
    MAX_ATTEMPTS: param
      .custom('int', toAttempts, 'Attempts of one AWS call, retries of throttling and 5xx answers included (1 to 10)')
      .default(DEFAULT_MAX_ATTEMPTS),
  },
  setup(config, host): AwsServices & { close(): Promise<void> } {
    return createLazyAws({
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      maxAttempts: config.MAX_ATTEMPTS,
      runOutside: (work) => host.outsideEgress(work),
    });
  },
  close: (aws) => aws.close(),
});

function createLazyAws(options: AwsClientOptions): AwsServices & { close(): Promise<void> } {
  let loading: Promise<Aws> | undefined;
  return {
    load() {
      loading ??= import('./sdk.js').then((sdk) => sdk.createAws(options));
      return loading;
    },
    async close() {
      const aws = await loading?.catch(() => undefined);
      aws?.destroy();
    },
  };
}

function toAttempts(value: unknown): Coerced<number> {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 10) {
    return { ok: true, value: number };
  }
  return { ok: false, problem: `must be a whole number from 1 to 10, got ${JSON.stringify(value)}` };
}
