import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { parseJson } from '@connector-proxy/core';
import { openFileStore } from '../src/file-store.js';
import type { Job } from '../src/job.js';
import { createJobRunner, type JobRunner, type JobRunnerOptions } from '../src/runner.js';
import type { JobStore } from '../src/store.js';
import { type FakeArena, startFakeArena, startTrap } from './fake-arena.js';
import { removeTemps, resolveTest, runs, tempDir, waitForState } from './helpers.js';

const KEY = 'service-account-key-5f1c';
const open: { runner: JobRunner; arena?: FakeArena }[] = [];
afterEach(async () => {
  for (const { runner, arena } of open.splice(0)) {
    await runner.close();
    await arena?.close();
  }
});
after(removeTemps);

async function setup(overrides: Partial<JobRunnerOptions> = {}, dir = tempDir()) {
  const arena = await startFakeArena({ apiKey: KEY });
  const store = await openFileStore({ dir });
  const runner = createJobRunner({
    store,
    resolve: resolveTest,
    credential: { kind: 'api-key', value: KEY },
    origins: [arena.origin],
    retry: { baseMs: 40, maxMs: 200 },
    ...overrides,
  });
  runner.start();
  open.push({ runner, arena });
  return { arena, runner, store, dir };
}

async function accept(runner: JobRunner, id: string, body: Record<string, unknown>) {
  const handled = await runner.handle({ target: targetOf(id), body, options: {} });
  assert.ok(handled, 'the runner takes the request');
  return handled;
}

function targetOf(id: string) {
  const found = resolveTest(id);
  assert.ok(found);
  return found;
}

function jobIdOf(handled: Awaited<ReturnType<typeof accept>>): string {
  assert.equal(handled.kind, 'accepted');
  if (handled.kind !== 'accepted') throw new Error('not accepted');
  return JSON.parse(handled.response.body ?? '').command_response.body.job_id;
}

test('a long-running command with a callback URL is answered 202 with a version-2 envelope naming the job', async () => {
  const { arena, runner } = await setup();
  const { url } = arena.task();
  const handled = await accept(runner, 'test/Wait', { ms: 10, spiff__callback_url: url });
  assert.equal(handled.kind, 'accepted');
  if (handled.kind !== 'accepted') return;
  assert.equal(handled.response.status, 202);
  assert.equal(handled.response.headers['Content-Type'], 'application/json');
  const envelope = JSON.parse(handled.response.body ?? '');
  const id = envelope.command_response.body.job_id;
  assert.match(id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(envelope, {
    command_response: {
      body: { job_id: id, status: 'queued', status_url: `/v1/jobs/${id}` },
      mimetype: 'application/json',
    },
    error: null,
    command_response_version: 2,
    spiff__logs: [`accepted as job ${id}: the result will be delivered to the callback URL`],
  });
});

test('the callback of a success carries the version-2 envelope with its body, and the job ends delivered', async () => {
  const { arena, runner } = await setup();
  const { url, task } = arena.task();
  const id = jobIdOf(
    await accept(runner, 'test/Wait', { ms: 10, spiff__callback_url: url, spiff__task_data: { a: 1 } }),
  );
  const job = await waitForState(runner.get, id, ['delivered']);
  assert.equal(task.state, 'COMPLETED');
  assert.deepEqual(task.result, { waited: 10 });
  assert.deepEqual(JSON.parse(arena.received[0]?.body ?? ''), {
    command_response: { body: { waited: 10 }, mimetype: 'application/json' },
    error: null,
    command_response_version: 2,
    spiff__logs: ['waiting 10 ms'],
  });
  assert.equal(job.attempts, 1);
  assert.equal(job.runs, 1);
  assert.equal(job.request, undefined, 'the parameters are dropped once the command finished');
  assert.equal(job.result, undefined, 'a delivered result is not kept');
  assert.equal(job.lastAnswer?.status, 200);
  assert.match(runner.metrics(), /connector_proxy_jobs_delivered_total 1\n/);
});

test('the callback of a failure has a structured error and still a command_response.body (null) with a mimetype', async () => {
  const { arena, runner } = await setup();
  const { url, task } = arena.task({ catches: ['QuotaExceeded'] });
  const id = jobIdOf(await accept(runner, 'test/Fail', { spiff__callback_url: url }));
  const job = await waitForState(runner.get, id, ['delivered']);
  assert.deepEqual(JSON.parse(arena.received[0]?.body ?? ''), {
    command_response: { body: null, mimetype: 'application/json', http_status: 429 },
    error: { error_code: 'QuotaExceeded', message: 'no more today' },
    command_response_version: 2,
    spiff__logs: [],
  });
  assert.equal(task.state, 'COMPLETED', 'a boundary event caught it, and Arena read the body');
  assert.equal(job.errorCode, 'QuotaExceeded');
});

test('5xx and 429 are retried with growing waits (Retry-After honoured), and delivery stops after the 2xx', async () => {
  const { arena, runner } = await setup({ retry: { baseMs: 60, maxMs: 1_000 } });
  const { url, task } = arena.task();
  arena.script(task.guid, [{ status: 500 }, { status: 502 }, { status: 429, headers: { 'Retry-After': '1' } }]);
  const id = jobIdOf(await accept(runner, 'test/Wait', { ms: 0, spiff__callback_url: url }));
  const job = await waitForState(runner.get, id, ['delivered']);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(arena.received.length, 4, 'three failures, one success, nothing after it');
  const gaps = arena.received.slice(1).map((r, i) => r.at - (arena.received[i]?.at ?? 0));
  assert.ok((gaps[0] ?? 0) >= 30, `first wait ${gaps[0]} ms is at least half the base`);
  assert.ok((gaps[1] ?? 0) >= 60, `second wait ${gaps[1]} ms is at least half of twice the base`);
  assert.ok((gaps[2] ?? 0) >= 950, `the wait after the 429 follows Retry-After: 1 (${gaps[2]} ms)`);
  assert.equal(job.attempts, 4);
  assert.equal(task.completions, 1);
  assert.match(runner.metrics(), /connector_proxy_jobs_delivery_retries_total 3\n/);
});

for (const [status, why] of [
  [400, 'a task no longer waiting'],
  [401, 'no credentials'],
  [403, 'a credential without permission'],
  [404, 'no such endpoint'],
] as const) {
  test(`a ${status} (${why}) ends delivery as undeliverable at once, with Arena's answer kept`, async () => {
    const { arena, runner } = await setup();
    const { url, task } = arena.task();
    arena.script(task.guid, [{ status, body: { error_code: `arena_${status}`, message: why } }]);
    const id = jobIdOf(await accept(runner, 'test/Wait', { ms: 0, spiff__callback_url: url }));
    const job = await waitForState(runner.get, id, ['undeliverable']);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(arena.received.length, 1);
    assert.equal(job.lastAnswer?.status, status);
    assert.match(job.lastAnswer?.body ?? '', new RegExp(`arena_${status}`));
    assert.match(job.reason ?? '', new RegExp(`HTTP ${status}`));
    assert.ok(job.result, 'the result is kept for a re-delivery');
    assert.match(runner.metrics(), /connector_proxy_jobs_undeliverable_total 1\n/);
  });
}

test('a callback URL outside the allowed origins is refused at once (CallbackNotAllowed, http_status 403), nothing sent', async () => {
  const trap = await startTrap();
  try {
    const { runner } = await setup();
    const handled = await accept(runner, 'test/Wait', {
      ms: 0,
      spiff__callback_url: `${trap.url}/v1.0/tasks/1/x/callback`,
    });
    assert.equal(handled.kind, 'invocation');
    if (handled.kind !== 'invocation' || handled.invocation.kind !== 'v2') return;
    const { envelope } = handled.invocation;
    assert.equal(envelope.command_response.http_status, 403);
    assert.equal(envelope.error?.error_code, 'CallbackNotAllowed');
    assert.match(envelope.error?.message ?? '', /not in CONNECTOR_PROXY_CALLBACK_ORIGINS/);
    assert.deepEqual(await runner.list(), [], 'no job was recorded');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(trap.received.length, 0);
  } finally {
    await trap.close();
  }
});

test('without a callback URL a long-running command runs synchronously and says so in spiff__logs', async () => {
  const { runner } = await setup();
  const handled = await accept(runner, 'test/Wait', { ms: 0 });
  assert.equal(handled.kind, 'invocation');
  if (handled.kind !== 'invocation' || handled.invocation.kind !== 'v2') return;
  assert.deepEqual(handled.invocation.envelope.spiff__logs, [
    'ran synchronously: the request has no spiff__callback_url',
    'waiting 0 ms',
  ]);
  assert.deepEqual(handled.invocation.envelope.command_response.body, { waited: 0 });
});

test('bad parameters of a long-running request are refused at once (InvalidParameters), not in the callback', async () => {
  const { arena, runner } = await setup();
  const handled = await accept(runner, 'test/Wait', { ms: 'soon', spiff__callback_url: arena.task().url });
  assert.equal(handled.kind, 'invocation');
  if (handled.kind !== 'invocation' || handled.invocation.kind !== 'v2') return;
  assert.equal(handled.invocation.failure, 'invalid_parameters');
  assert.match(handled.invocation.envelope.error?.message ?? '', /ms must be an integer/);
  assert.deepEqual(await runner.list(), []);
});

test('a command that is not long-running is left to the server when no switch is configured', async () => {
  const { arena, runner } = await setup();
  const handled = await runner.handle({
    target: targetOf('test/Slow'),
    body: { ms: 0, spiff__callback_url: arena.task().url },
    options: {},
  });
  assert.equal(handled, undefined);
});

test('with asyncAfterMs, a command still running then is switched to the callback, run once, result delivered', async () => {
  const { arena, runner } = await setup({ asyncAfterMs: 100 });
  const quick = await runner.handle({
    target: targetOf('test/Slow'),
    body: { ms: 0, spiff__callback_url: arena.task().url },
    options: {},
  });
  assert.equal(quick?.kind, 'invocation', 'a command that finishes in time is answered as usual');
  const { url, task } = arena.task();
  const started = Date.now();
  const slow = await runner.handle({
    target: targetOf('test/Slow'),
    body: { ms: 400, spiff__callback_url: url },
    options: {},
  });
  assert.ok(slow);
  const answeredAfter = Date.now() - started;
  assert.ok(answeredAfter >= 90 && answeredAfter < 350, `answered after ${answeredAfter} ms`);
  const id = jobIdOf(slow);
  assert.equal((await runner.get(id))?.state, 'running');
  const job = await waitForState(runner.get, id, ['delivered']);
  assert.deepEqual(task.result, { slept: 400 });
  assert.equal(job.runs, 1);
  assert.equal(arena.received.length, 1);
});

test('delivery gives up after the TTL, as undeliverable', async () => {
  // Waits of 25-50 ms (equal jitter) within a 1 s TTL: 20-40 attempts on an idle machine, and
  // still several on a loaded one (with a 300 ms TTL a busy CI machine managed only one).
  const { arena, runner } = await setup({ ttlMs: 1_000, retry: { baseMs: 50, maxMs: 50 } });
  const { url, task } = arena.task();
  arena.script(
    task.guid,
    Array.from({ length: 50 }, () => ({ status: 503 })),
  );
  const id = jobIdOf(await accept(runner, 'test/Wait', { ms: 0, spiff__callback_url: url }));
  const job = await waitForState(runner.get, id, ['undeliverable']);
  assert.match(job.reason ?? '', /CONNECTOR_PROXY_CALLBACK_TTL_MS/);
  assert.ok(job.attempts >= 3 && job.attempts <= 41, `${job.attempts} attempts in 1 000 ms`);
});

test('an undeliverable job is delivered again on request (after a configuration fix); other states are refused', async () => {
  const { arena, runner } = await setup();
  const { url, task } = arena.task();
  arena.script(task.guid, [{ status: 401 }]);
  const id = jobIdOf(await accept(runner, 'test/Wait', { ms: 0, spiff__callback_url: url }));
  await waitForState(runner.get, id, ['undeliverable']);
  const again = await runner.redeliver(id);
  assert.equal(again.ok, true);
  const job = await waitForState(runner.get, id, ['delivered']);
  assert.equal(job.attempts, 2);
  assert.equal(task.state, 'COMPLETED');
  assert.deepEqual(await runner.redeliver(id), {
    ok: false,
    status: 409,
    problem: 'only an undeliverable job can be delivered again; this one is delivered',
  });
  assert.equal((await runner.redeliver('nope')).ok, false);
});

async function recordJob(dir: string, job: Job): Promise<void> {
  const store = await openFileStore({ dir });
  await store.add(job, { held: true });
  await store.close();
}

function interruptedJob(command: string, callbackUrl: string, idempotent: boolean, tag: string): Job {
  return {
    id: `job-${tag}`,
    command,
    state: 'running',
    callbackUrl,
    idempotent,
    timeoutMs: 60_000,
    request: { ms: 10, tag, spiff__callback_url: callbackUrl },
    runs: 1,
    attempts: 0,
    createdAt: Date.now() - 1_000,
    startedAt: Date.now() - 900,
  };
}

test('after a restart, an interrupted idempotent command runs again and its result is delivered once', async () => {
  const dir = tempDir();
  const arena = await startFakeArena({ apiKey: KEY });
  const { url, task } = arena.task();
  await recordJob(dir, interruptedJob('test/Wait', url, true, 'again'));
  runs.delete('again');
  const store = await openFileStore({ dir });
  const runner = createJobRunner({
    store,
    resolve: resolveTest,
    credential: { kind: 'api-key', value: KEY },
    origins: [arena.origin],
  });
  open.push({ runner, arena });
  runner.start();
  const job = await waitForState(runner.get, 'job-again', ['delivered']);
  assert.equal(runs.get('again'), 1);
  assert.equal(job.runs, 2);
  assert.deepEqual(task.result, { waited: 10 });
});

test('after a restart, an interrupted command that is not idempotent is not run again: its callback is CommandInterrupted', async () => {
  const dir = tempDir();
  const arena = await startFakeArena({ apiKey: KEY });
  const { url, task } = arena.task({ catches: ['CommandInterrupted'] });
  await recordJob(dir, interruptedJob('test/Charge', url, false, 'once'));
  runs.delete('once');
  const store = await openFileStore({ dir });
  const runner = createJobRunner({
    store,
    resolve: resolveTest,
    credential: { kind: 'api-key', value: KEY },
    origins: [arena.origin],
  });
  open.push({ runner, arena });
  runner.start();
  const job = await waitForState(runner.get, 'job-once', ['delivered']);
  assert.equal(runs.get('once'), undefined, 'not run again');
  const sent = JSON.parse(arena.received[0]?.body ?? '');
  assert.equal(sent.error.error_code, 'CommandInterrupted');
  assert.match(sent.error.message, /not declared idempotent/);
  assert.deepEqual(sent.command_response, { body: null, mimetype: 'application/json', http_status: 503 });
  assert.equal(job.errorCode, 'CommandInterrupted');
  assert.equal(task.state, 'COMPLETED');
});

test('the journal is private (0700 folder, 0600 files) and never holds the callback credential', async () => {
  const { arena, runner, dir } = await setup();
  const id = jobIdOf(await accept(runner, 'test/Wait', { ms: 0, spiff__callback_url: arena.task().url }));
  await waitForState(runner.get, id, ['delivered']);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, 'requests')).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(join(dir, 'requests')), [], "the finished job's parameters are gone");
  for (const name of readdirSync(dir).filter((n) => n !== 'requests')) {
    assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
    assert.doesNotMatch(readFileSync(join(dir, name), 'utf8'), new RegExp(KEY));
  }
  assert.doesNotMatch(JSON.stringify(await runner.get(id)), new RegExp(KEY));
});

test('a stopped runner leaves a running job as it is, for the next start to decide', async () => {
  const { arena, runner, dir } = await setup();
  const { url } = arena.task();
  const id = jobIdOf(await accept(runner, 'test/Charge', { ms: 5_000, spiff__callback_url: url, tag: 'stopped' }));
  await waitForState(runner.get, id, ['running']);
  open.pop();
  await runner.close(50);
  const reopened: JobStore = await openFileStore({ dir });
  assert.equal((await reopened.get(id))?.state, 'running');
  await reopened.close();
  assert.equal(arena.received.length, 0);
  await arena.close();
});

test('a job keeps exact numbers through the journal, the run and the callback, byte for byte', async () => {
  const dir = tempDir();
  const { arena, runner } = await setup({}, dir);
  const { url } = arena.task();
  const parsed = parseJson(
    `{"data":{"id":9007199254740993,"big":123456789012345678901234567890},"spiff__task_data":{"order":18446744073709551615},"spiff__callback_url":"${url}"}`,
  );
  assert.ok(parsed.ok);
  const id = jobIdOf(await accept(runner, 'test/Echo', parsed.value as Record<string, unknown>));
  await waitForState(runner.get, id, ['delivered']);
  assert.match(
    arena.received[0]?.body ?? '',
    /"body":\{"data":\{"id":9007199254740993,"big":123456789012345678901234567890\},"taskData":\{"order":18446744073709551615\}\}/,
  );
  const journal = readdirSync(dir, { recursive: true })
    .map((name) => join(dir, String(name)))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
  assert.doesNotMatch(journal, /9007199254740992|1\.2345678901234568e\+29/, 'nothing rounded on disk');
});
