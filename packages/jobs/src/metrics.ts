/** Upper bounds (seconds) of the delivery latency histogram: from a result being ready to Arena accepting it. */
const BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

/** Counters of this instance's jobs, in the Prometheus text format. */
export interface JobMetrics {
  accepted(): void;
  delivered(latencyMs: number): void;
  undeliverable(): void;
  retried(): void;
  render(): string;
}

/** Creates the counters. */
export function createJobMetrics(): JobMetrics {
  let accepted = 0;
  let delivered = 0;
  let undeliverable = 0;
  let retries = 0;
  const counts = BUCKETS.map(() => 0);
  let sum = 0;
  return {
    accepted: () => {
      accepted += 1;
    },
    delivered(latencyMs) {
      delivered += 1;
      const seconds = Math.max(0, latencyMs) / 1000;
      sum += seconds;
      BUCKETS.forEach((bound, i) => {
        if (seconds <= bound) counts[i] = (counts[i] ?? 0) + 1;
      });
    },
    undeliverable: () => {
      undeliverable += 1;
    },
    retried: () => {
      retries += 1;
    },
    render() {
      const lines = [
        '# HELP connector_proxy_jobs_accepted_total Long-running commands accepted with a 202.',
        '# TYPE connector_proxy_jobs_accepted_total counter',
        `connector_proxy_jobs_accepted_total ${accepted}`,
        '# HELP connector_proxy_jobs_delivered_total Results that SpiffArena accepted at the callback URL.',
        '# TYPE connector_proxy_jobs_delivered_total counter',
        `connector_proxy_jobs_delivered_total ${delivered}`,
        '# HELP connector_proxy_jobs_undeliverable_total Results given up on (refused, or not accepted within the TTL).',
        '# TYPE connector_proxy_jobs_undeliverable_total counter',
        `connector_proxy_jobs_undeliverable_total ${undeliverable}`,
        '# HELP connector_proxy_jobs_delivery_retries_total Delivery attempts that will be tried again.',
        '# TYPE connector_proxy_jobs_delivery_retries_total counter',
        `connector_proxy_jobs_delivery_retries_total ${retries}`,
        '# HELP connector_proxy_jobs_delivery_latency_seconds From a result being ready to SpiffArena accepting it.',
        '# TYPE connector_proxy_jobs_delivery_latency_seconds histogram',
        ...BUCKETS.map(
          (bound, i) => `connector_proxy_jobs_delivery_latency_seconds_bucket{le="${bound}"} ${counts[i]}`,
        ),
        `connector_proxy_jobs_delivery_latency_seconds_bucket{le="+Inf"} ${delivered}`,
        `connector_proxy_jobs_delivery_latency_seconds_sum ${sum}`,
        `connector_proxy_jobs_delivery_latency_seconds_count ${delivered}`,
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}
