import { API_KEY_HEADER } from '@connector-proxy/core';
import { readConfig } from '@connector-proxy/server';
import { parseVerbArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';
import { renderTable } from '../table.js';

export const JOBS_HELP = `Usage: connector-proxy jobs [--state STATE] [--limit N] [--json] [--url URL]
       connector-proxy jobs redeliver (ID... | --all) [--url URL]

Lists the long-running jobs of a running proxy (GET /v1/jobs), or delivers undeliverable ones
again, for instance after fixing CONNECTOR_PROXY_CALLBACK_API_KEY and restarting the proxy.

Options:
  --state STATE  only jobs in this state: queued, running, delivering, delivered, undeliverable
  --limit N      at most N jobs, newest first (default 100)
  --json         print the jobs as JSON
  --all          with redeliver: every undeliverable job
  --url URL      the proxy (default http://CONNECTOR_PROXY_HOST:CONNECTOR_PROXY_PORT)
  -h, --help     show this help

The API key, when the proxy needs one, is read from CONNECTOR_PROXY_API_KEY.
`;

interface JobRow {
  job_id: string;
  command: string;
  state: string;
  attempts: number;
  created_at: string;
  last_answer: { status: number | null; error: string | null } | null;
  reason: string | null;
}

/** `connector-proxy jobs`: a running proxy's jobs, and re-delivery of the undeliverable ones. */
export async function jobsVerb(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseVerbArgs(
    args,
    {
      state: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      all: { type: 'boolean' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(JOBS_HELP);
    return 0;
  }
  const config = readConfig(io.env);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const base = (values.url ?? `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`).replace(/\/$/, '');
  const headers: Record<string, string> = config.apiKey ? { [API_KEY_HEADER]: config.apiKey } : {};
  const call = async (path: string, method = 'GET') => {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method, headers });
    } catch (error) {
      throw new Error(`cannot reach the proxy at ${base}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body };
  };
  const problemOf = (status: number, body: unknown) =>
    typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : `HTTP ${status}`;

  const [sub, ...ids] = positionals;
  if (sub === undefined) {
    const query = new URLSearchParams({
      ...(values.state ? { state: values.state } : {}),
      ...(values.limit ? { limit: values.limit } : {}),
    });
    const { status, body } = await call(`/v1/jobs${query.size > 0 ? `?${query}` : ''}`);
    if (status !== 200) throw new Error(problemOf(status, body));
    const jobs = jobsOf(body);
    if (values.json) {
      io.stdout(`${JSON.stringify(jobs, null, 2)}\n`);
      return 0;
    }
    if (jobs.length === 0) {
      io.stdout('No jobs.\n');
      return 0;
    }
    const rows = jobs.map((j) => [j.job_id, j.command, j.state, String(j.attempts), answerOf(j), j.created_at]);
    io.stdout(renderTable([['JOB', 'COMMAND', 'STATE', 'ATTEMPTS', 'LAST ANSWER', 'CREATED'], ...rows]));
    return 0;
  }
  if (sub !== 'redeliver') throw new UsageError(`unknown jobs action ${JSON.stringify(sub)} (redeliver)`);
  let targets = ids;
  if (values.all) {
    const { status, body } = await call('/v1/jobs?state=undeliverable&limit=10000');
    if (status !== 200) throw new Error(problemOf(status, body));
    targets = [...ids, ...jobsOf(body).map((j) => j.job_id)];
  }
  if (targets.length === 0) throw new UsageError('name the jobs to deliver again, or give --all');
  let failed = 0;
  for (const id of targets) {
    const { status, body } = await call(`/v1/jobs/${encodeURIComponent(id)}/redeliver`, 'POST');
    if (status === 202) {
      io.stdout(`${id}: delivering again\n`);
    } else {
      failed += 1;
      io.stderr(`${id}: ${problemOf(status, body)}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

/** The jobs of a `GET /v1/jobs` answer (the proxy's own format). */
function jobsOf(body: unknown): JobRow[] {
  if (typeof body !== 'object' || body === null || !('jobs' in body) || !Array.isArray(body.jobs)) return [];
  return body.jobs.filter((j): j is JobRow => typeof j === 'object' && j !== null && typeof j.job_id === 'string');
}

function answerOf(job: JobRow): string {
  if (!job.last_answer) return '-';
  return job.last_answer.status === null ? (job.last_answer.error ?? '') : String(job.last_answer.status);
}
