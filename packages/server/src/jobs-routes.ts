/**
 * The server's side of long-running commands: the `/v1/do` hook that hands a request to the job
 * runner (a 202, a switch to the callback, or a synchronous run that says why), and `/v1/jobs`.
 */
import {
  type InvokeOptions,
  invoke,
  isPlainObject,
  RequestKey,
  type Target,
  type WireResponse,
} from '@connector-proxy/core';
import type { Handled, JobRunner } from '@connector-proxy/jobs';
import { isJobState, JOB_STATES, toJobView } from '@connector-proxy/jobs/settings';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * What the jobs make of a `/v1/do` request, or undefined to run it as usual. Without a runner
 * (callbacks not configured) a long-running command still runs, synchronously, and says so.
 */
export async function handleLongRunning(
  jobs: JobRunner | undefined,
  target: Target,
  body: unknown,
  options: InvokeOptions,
): Promise<Handled | undefined> {
  if (jobs) return jobs.handle({ target, body, options });
  if (!target.command.longRunning) return undefined;
  const invocation = await invoke(target, body, options);
  if (invocation.kind === 'v2') {
    const hasCallback = isPlainObject(body) && typeof body[RequestKey.callbackUrl] === 'string';
    invocation.envelope.spiff__logs.unshift(
      hasCallback
        ? 'ran synchronously: this proxy has no callback configuration (CONNECTOR_PROXY_CALLBACK_ORIGINS and a credential)'
        : 'ran synchronously: the request has no spiff__callback_url',
    );
  }
  return { kind: 'invocation', invocation };
}

/** Sends a ready answer (the 202 of an accepted job). */
export function sendWire(c: Context, wire: WireResponse): Response {
  return c.body(wire.body ?? '', wire.status as ContentfulStatusCode, wire.headers);
}

/**
 * `GET /v1/jobs[?state=…&limit=…]`, `GET /v1/jobs/<id>` and `POST /v1/jobs/<id>/redeliver`,
 * behind the API key when one is set. They show state, attempts and Arena's last answer, never
 * parameters or results.
 */
export function mountJobRoutes(app: Hono, jobs: JobRunner | undefined, guard: MiddlewareHandler | undefined): void {
  if (guard) {
    app.use('/v1/jobs', guard);
    app.use('/v1/jobs/*', guard);
  }
  if (!jobs) {
    const none = (c: Context) =>
      c.json(
        { error: 'this proxy runs no jobs: callbacks are not configured (CONNECTOR_PROXY_CALLBACK_ORIGINS)' },
        404,
      );
    app.get('/v1/jobs', none);
    app.get('/v1/jobs/:id', none);
    app.post('/v1/jobs/:id/redeliver', none);
    return;
  }
  app.get('/v1/jobs', async (c) => {
    const state = c.req.query('state');
    if (state !== undefined && !isJobState(state)) {
      return c.json({ error: `state must be one of ${JOB_STATES.join(', ')}` }, 400);
    }
    const limitText = c.req.query('limit') ?? '100';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 10_000) {
      return c.json({ error: 'limit must be a whole number from 1 to 10000' }, 400);
    }
    const found = await jobs.list({ limit, ...(isJobState(state) ? { state } : {}) });
    return c.json({ jobs: found.map(toJobView) });
  });
  app.get('/v1/jobs/:id', async (c) => {
    const job = await jobs.get(c.req.param('id'));
    return job ? c.json(toJobView(job)) : c.json({ error: 'Not Found', job_id: c.req.param('id') }, 404);
  });
  app.post('/v1/jobs/:id/redeliver', async (c) => {
    const outcome = await jobs.redeliver(c.req.param('id'));
    return outcome.ok ? c.json(toJobView(outcome.job), 202) : c.json({ error: outcome.problem }, outcome.status);
  });
}
