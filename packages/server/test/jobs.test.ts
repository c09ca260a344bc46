import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { type FakeArena, startFakeArena, startTrap } from '../../jobs/test/fake-arena.js';
import { type Config, ConfigError, readConfig } from '../src/config.js';
import { startServer } from '../src/serve.js';
import { readJson } from './json.js';

const PROXY_KEY = 'proxy-key-8a1f';
const CALLBACK_KEY = 'arena-service-account-3c9e';
const SECRET = 'hunter2-secret-value';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const Report = defineCommand({
  params: { ms: param.int(), password: param.str().secret().optional() },
  longRunning: { timeoutMs: 10_000 },
  idempotent: true,
  async run({ ms, password }, { signal, log }) {
    log(`building with password ${password ?? 'none'}`);
    await sleep(ms, signal);
    return { body: { rows: 3, ms } };
  },
});
const Slow = defineCommand({
  params: { ms: param.int() },
  async run({ ms }, { signal }) {
    await sleep(ms, signal);
    return { body: { slept: ms } };
  },
});
const registry = createRegistry([defineConnector({ name: 'reports', commands: { Report, Slow } })]);

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function jobsConfig(arena: FakeArena, extra: Record<string, string> = {}): { config: Config; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'server-jobs-'));
  temps.push(dir);
  const config = readConfig({
    CONNECTOR_PROXY_PORT: '0',
    CONNECTOR_PROXY_LOG_FORMAT: 'text',
    CONNECTOR_PROXY_API_KEY: PROXY_KEY,
    CONNECTOR_PROXY_METRICS: 'true',
    CONNECTOR_PROXY_CALLBACK_ORIGINS: arena.origin,
    CONNECTOR_PROXY_CALLBACK_API_KEY: CALLBACK_KEY,
    CONNECTOR_PROXY_CALLBACK_RETRY_BASE_MS: '20',
    CONNECTOR_PROXY_DATA_DIR: dir,
    ...extra,
  });
  return { config, dir };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const headers = { 'Content-Type': 'application/json', 'Spiff-Connector-Proxy-Api-Key': PROXY_KEY };

async function waitForJob(url: string, id: string, state: string): Promise<Record<string, unknown>> {
  const until = Date.now() + 10_000;
  for (;;) {
    const view = await readJson(await fetch(`${url}/v1/jobs/${id}`, { headers }));
    if (view.state === state) return view;
    if (Date.now() > until) throw new Error(`job ${id} is ${view.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('over a real port: 202 with the job, the callback PUT to Arena, and GET /v1/jobs/<id> behind the API key', async () => {
  const arena = await startFakeArena({ apiKey: CALLBACK_KEY });
  const { config, dir } = jobsConfig(arena);
  const lines: string[] = [];
  const server = await startServer(config, registry, { write: (line) => lines.push(line) });
  try {
    const { url, task } = arena.task();
    const res = await fetch(`${server.url}/v1/do/reports/Report`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ms: 20, password: SECRET, spiff__callback_url: url, spiff__task_data: { x: 1 } }),
    });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const accepted = await readJson(res);
    const id = accepted.command_response.body.job_id;
    assert.deepEqual(accepted.command_response.body, { job_id: id, status: 'queued', status_url: `/v1/jobs/${id}` });
    assert.equal(accepted.error, null);

    assert.equal((await fetch(`${server.url}/v1/jobs/${id}`)).status, 401, 'the job view needs the API key');
    const view = await waitForJob(server.url, id, 'delivered');
    assert.deepEqual(Object.keys(view).sort(), [
      'attempts',
      'callback_url',
      'command',
      'created_at',
      'ended_at',
      'error_code',
      'finished_at',
      'job_id',
      'last_answer',
      'next_attempt_at',
      'reason',
      'runs',
      'started_at',
      'state',
    ]);
    assert.equal(view.command, 'reports/Report');
    assert.equal(view.attempts, 1);
    assert.equal((view.last_answer as { status: number }).status, 200);

    const callback = JSON.parse(arena.received[0]?.body ?? '');
    assert.deepEqual(callback, {
      command_response: { body: { rows: 3, ms: 20 }, mimetype: 'application/json' },
      error: null,
      command_response_version: 2,
      spiff__logs: ['building with password ***'],
    });
    assert.deepEqual(task.result, { rows: 3, ms: 20 });

    const list = await readJson(await fetch(`${server.url}/v1/jobs?state=delivered`, { headers }));
    assert.deepEqual(
      list.jobs.map((j: { job_id: string }) => j.job_id),
      [id],
    );
    assert.equal((await fetch(`${server.url}/v1/jobs?state=lost`, { headers })).status, 400);
    assert.equal((await fetch(`${server.url}/v1/jobs/nope`, { headers })).status, 404);

    const metrics = await (await fetch(`${server.url}/metrics`, { headers })).text();
    assert.match(metrics, /connector_proxy_jobs_accepted_total 1\n/);
    assert.match(metrics, /connector_proxy_jobs_delivered_total 1\n/);
    assert.match(metrics, /connector_proxy_jobs_delivery_latency_seconds_count 1\n/);

    // No credential and no secret parameter anywhere the proxy writes or answers.
    const everything = [
      JSON.stringify(accepted),
      JSON.stringify(view),
      JSON.stringify(list),
      metrics,
      lines.join('\n'),
      ...filesUnder(dir).map((path) => readFileSync(path, 'utf8')),
    ].join('\n');
    assert.doesNotMatch(everything, new RegExp(CALLBACK_KEY));
    assert.doesNotMatch(everything, new RegExp(SECRET));
    assert.equal(arena.received.length, 1);
    assert.equal(arena.received[0]?.headers['spiffworkflow-api-key'], CALLBACK_KEY);
    assert.equal(arena.received[0]?.headers['spiff-connector-proxy-api-key'], undefined, 'the proxy key stays here');
  } finally {
    await server.close();
    await arena.close();
  }
});

test('a callback URL outside CONNECTOR_PROXY_CALLBACK_ORIGINS is refused at once; the credential goes nowhere', async () => {
  const arena = await startFakeArena({ apiKey: CALLBACK_KEY });
  const trap = await startTrap();
  const { config } = jobsConfig(arena);
  const server = await startServer(config, registry, { write: () => {} });
  try {
    const res = await fetch(`${server.url}/v1/do/reports/Report`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ms: 0, spiff__callback_url: `${trap.url}/v1.0/tasks/1/abc/callback` }),
    });
    assert.equal(res.status, 200);
    const envelope = await readJson(res);
    assert.equal(envelope.error.error_code, 'CallbackNotAllowed');
    assert.equal(envelope.command_response.http_status, 403);
    assert.match(envelope.error.message, new RegExp(`origin ${trap.url} is not in CONNECTOR_PROXY_CALLBACK_ORIGINS`));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(trap.received.length, 0);
    assert.equal(arena.received.length, 0);
  } finally {
    await server.close();
    await trap.close();
    await arena.close();
  }
});

test('CONNECTOR_PROXY_ASYNC_AFTER_MS: a command past it answers 202 and its result, from the same run, reaches Arena', async () => {
  const arena = await startFakeArena({ apiKey: CALLBACK_KEY });
  const { config } = jobsConfig(arena, { CONNECTOR_PROXY_ASYNC_AFTER_MS: '150' });
  const server = await startServer(config, registry, { write: () => {} });
  try {
    const quick = await fetch(`${server.url}/v1/do/reports/Slow`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ms: 0, spiff__callback_url: arena.task().url }),
    });
    assert.equal(quick.status, 200);
    assert.deepEqual((await readJson(quick)).command_response.body, { slept: 0 });
    const { url, task } = arena.task();
    const res = await fetch(`${server.url}/v1/do/reports/Slow`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ms: 600, spiff__callback_url: url }),
    });
    assert.equal(res.status, 202);
    const id = (await readJson(res)).command_response.body.job_id;
    const view = await waitForJob(server.url, id, 'delivered');
    assert.equal(view.runs, 1);
    assert.deepEqual(task.result, { slept: 600 });
    assert.equal(arena.received.length, 1);
  } finally {
    await server.close();
    await arena.close();
  }
});

test('without callbacks configured a long-running command runs synchronously and says why; /v1/jobs explains', async () => {
  const server = await startServer(
    readConfig({ CONNECTOR_PROXY_PORT: '0', CONNECTOR_PROXY_LOG_FORMAT: 'off' }),
    registry,
  );
  try {
    const res = await fetch(`${server.url}/v1/do/reports/Report`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ms: 0, spiff__callback_url: 'http://127.0.0.1:9/v1.0/tasks/1/a/callback' }),
    });
    assert.equal(res.status, 200);
    const envelope = await readJson(res);
    assert.deepEqual(envelope.command_response.body, { rows: 3, ms: 0 });
    assert.match(envelope.spiff__logs[0], /^ran synchronously: this proxy has no callback configuration/);
    const bare = await readJson(
      await fetch(`${server.url}/v1/do/reports/Report`, { method: 'POST', headers, body: '{"ms": 0}' }),
    );
    assert.equal(bare.spiff__logs[0], 'ran synchronously: the request has no spiff__callback_url');
    const jobs = await fetch(`${server.url}/v1/jobs/x`);
    assert.equal(jobs.status, 404);
    assert.match((await readJson(jobs)).error, /callbacks are not configured/);
  } finally {
    await server.close();
  }
});

test('half a callback configuration stops startup with one line naming the variable', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { CONNECTOR_PROXY_CALLBACK_API_KEY: 'k' },
      /^CONNECTOR_PROXY_CALLBACK_API_KEY is set but CONNECTOR_PROXY_CALLBACK_ORIGINS is not/,
    ],
    [
      { CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN: 't' },
      /^CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN is set but CONNECTOR_PROXY_CALLBACK_ORIGINS/,
    ],
    [
      { CONNECTOR_PROXY_CALLBACK_ORIGINS: 'https://arena.example' },
      /^CONNECTOR_PROXY_CALLBACK_ORIGINS is set but no credential/,
    ],
    [
      {
        CONNECTOR_PROXY_CALLBACK_ORIGINS: 'https://arena.example',
        CONNECTOR_PROXY_CALLBACK_API_KEY: 'k',
        CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN: 't',
      },
      /both set: set only one/,
    ],
    [{ CONNECTOR_PROXY_CALLBACK_API_KEY: ' ' }, /^CONNECTOR_PROXY_CALLBACK_API_KEY is set but empty/],
    [{ CONNECTOR_PROXY_ASYNC_AFTER_MS: '1000' }, /^CONNECTOR_PROXY_ASYNC_AFTER_MS needs callbacks/],
    [{ CONNECTOR_PROXY_JOBS: 'redis://127.0.0.1:6379' }, /^CONNECTOR_PROXY_JOBS needs callbacks/],
    [
      { CONNECTOR_PROXY_CALLBACK_ORIGINS: 'https://arena.example/api', CONNECTOR_PROXY_CALLBACK_API_KEY: 'k' },
      /^CONNECTOR_PROXY_CALLBACK_ORIGINS: .*must be an origin only/,
    ],
    [
      {
        CONNECTOR_PROXY_CALLBACK_ORIGINS: 'https://arena.example',
        CONNECTOR_PROXY_CALLBACK_API_KEY: 'k',
        CONNECTOR_PROXY_ASYNC_AFTER_MS: '45000',
      },
      /^CONNECTOR_PROXY_ASYNC_AFTER_MS must be a whole number from 1 to 44999/,
    ],
    [
      {
        CONNECTOR_PROXY_CALLBACK_ORIGINS: 'https://arena.example',
        CONNECTOR_PROXY_CALLBACK_API_KEY: 'k',
        CONNECTOR_PROXY_JOBS: 'redis:/user:pa55@host',
      },
      /^CONNECTOR_PROXY_JOBS must be "file" or a redis:\/\/ \(or rediss:\/\/\) URL$/,
    ],
  ];
  for (const [env, message] of cases) {
    assert.throws(
      () => readConfig(env),
      (error: unknown) => error instanceof ConfigError && message.test(error.message) && !error.message.includes('\n'),
      JSON.stringify(env),
    );
  }
  assert.throws(
    () => readConfig({ CONNECTOR_PROXY_CALLBACK_API_KEY: CALLBACK_KEY }),
    (error: unknown) => {
      return error instanceof Error && !error.message.includes(CALLBACK_KEY);
    },
  );
});

test('a full callback configuration: the defaults of long-running commands', () => {
  const config = readConfig({
    CONNECTOR_PROXY_CALLBACK_ORIGINS: 'https://arena.example:8443, http://127.0.0.1:7000/',
    CONNECTOR_PROXY_CALLBACK_BEARER_TOKEN: 'token',
  });
  assert.deepEqual(config.jobs, {
    callbackOrigins: ['https://arena.example:8443', 'http://127.0.0.1:7000'],
    credential: { kind: 'bearer', value: 'token' },
    callbackTtlMs: 86_400_000,
    retryBaseMs: 1_000,
    retryMaxMs: 300_000,
    asyncAfterMs: undefined,
    store: { kind: 'file', dir: '.connector-proxy-data' },
    leaseMs: 30_000,
    concurrency: 100,
  });
  assert.equal(readConfig({}).jobs, undefined);
});
