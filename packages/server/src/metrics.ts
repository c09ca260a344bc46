import type { RequestLogEntry } from './request-log.js';

/** Upper bounds (seconds) of the command duration histogram; commands range from 1 ms to the deadline. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** Request and command counters in the Prometheus text format, fed by the request log entries. */
export interface Metrics {
  record(entry: RequestLogEntry): void;
  render(): string;
}

/**
 * Creates the collector. Labels come only from known commands, statuses and error codes, never
 * from raw paths, so a scanner requesting random URLs cannot blow up the number of series.
 */
export function createMetrics(): Metrics {
  const requests = new Map<string, number>();
  const runs = new Map<string, number>();
  const durations = new Map<string, Histogram>();

  return {
    record(entry) {
      const route = routeOf(entry);
      bump(requests, `route="${route}",status="${entry.status}"`);
      if (route !== '/v1/do' || entry.command === undefined || UNANSWERED.has(entry.status)) return;
      const command = escapeLabel(entry.command);
      bump(runs, `command="${command}",error_code="${escapeLabel(entry.errorCode ?? '')}"`);
      const histogram = durations.get(command) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      const seconds = entry.ms / 1000;
      BUCKETS.forEach((bound, i) => {
        if (seconds <= bound) histogram.counts[i] = (histogram.counts[i] ?? 0) + 1;
      });
      histogram.sum += seconds;
      histogram.count += 1;
      durations.set(command, histogram);
    },
    render() {
      const lines = [
        '# HELP connector_proxy_requests_total HTTP requests answered, by route and status.',
        '# TYPE connector_proxy_requests_total counter',
        ...[...requests].map(([labels, n]) => `connector_proxy_requests_total{${labels}} ${n}`),
        '# HELP connector_proxy_command_runs_total Command executions, by command and error code ("" when it succeeded).',
        '# TYPE connector_proxy_command_runs_total counter',
        ...[...runs].map(([labels, n]) => `connector_proxy_command_runs_total{${labels}} ${n}`),
        '# HELP connector_proxy_command_duration_seconds Time to answer a command request.',
        '# TYPE connector_proxy_command_duration_seconds histogram',
      ];
      for (const [command, h] of durations) {
        BUCKETS.forEach((bound, i) => {
          lines.push(
            `connector_proxy_command_duration_seconds_bucket{command="${command}",le="${bound}"} ${h.counts[i]}`,
          );
        });
        lines.push(`connector_proxy_command_duration_seconds_bucket{command="${command}",le="+Inf"} ${h.count}`);
        lines.push(`connector_proxy_command_duration_seconds_sum{command="${command}"} ${h.sum}`);
        lines.push(`connector_proxy_command_duration_seconds_count{command="${command}"} ${h.count}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

/**
 * Statuses of `/v1/do` requests that are not command runs: no such command (404), a request that
 * did not arrive in time (408), a client that left before the answer (499). They count only as requests.
 */
const UNANSWERED = new Set([404, 408, 499]);

const KNOWN_ROUTES = new Set(['/', '/liveness', '/v1/liveness', '/v1/commands', '/v1/auths', '/metrics']);

function routeOf(entry: RequestLogEntry): string {
  if (entry.path.startsWith('/v1/do/')) return '/v1/do';
  return KNOWN_ROUTES.has(entry.path) ? entry.path : 'other';
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`));
}
