import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommandError,
  createRegistry,
  defineCommand,
  defineConnector,
  param,
  type Target,
} from '@connector-proxy/core';
import type { Job, JobState } from '../src/job.js';

/** Counts runs per command, so a test can prove something ran exactly once. */
export const runs = new Map<string, number>();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

export const Wait = defineCommand({
  params: { ms: param.int(), tag: param.str().optional() },
  longRunning: true,
  idempotent: true,
  async run({ ms, tag }, { signal, log }) {
    runs.set(tag ?? '', (runs.get(tag ?? '') ?? 0) + 1);
    log(`waiting ${ms} ms`);
    await sleep(ms, signal);
    return { body: { waited: ms } };
  },
});

export const Charge = defineCommand({
  params: { ms: param.int(), tag: param.str().optional() },
  longRunning: { timeoutMs: 60_000 },
  async run({ ms, tag }, { signal }) {
    runs.set(tag ?? '', (runs.get(tag ?? '') ?? 0) + 1);
    await sleep(ms, signal);
    return { body: { charged: true } };
  },
});

export const Fail = defineCommand({
  params: {},
  longRunning: true,
  run() {
    throw new CommandError('QuotaExceeded', 'no more today', { httpStatus: 429 });
  },
});

export const Slow = defineCommand({
  params: { ms: param.int() },
  async run({ ms }, { signal }) {
    await sleep(ms, signal);
    return { body: { slept: ms } };
  },
});

/** Echoes its data and the task data back in the background, to prove numbers stay exact. */
export const Echo = defineCommand({
  params: { data: param.any() },
  longRunning: true,
  run({ data }, { taskData }) {
    return { body: { data, taskData } };
  },
});

export const registry = createRegistry([
  defineConnector({ name: 'test', commands: { Wait, Charge, Fail, Slow, Echo } }),
]);

/** The resolver a runner needs, over the test commands. */
export function resolveTest(id: string): Target | undefined {
  const [connector = '', name = ''] = id.split('/');
  return registry.target(connector, name);
}

const temps: string[] = [];

/** A fresh folder, removed by {@link removeTemps}. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-test-'));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Polls until the job is in one of `states`. */
export async function waitForState(
  get: (id: string) => Promise<Job | undefined>,
  id: string,
  states: JobState[],
  timeoutMs = 10_000,
): Promise<Job> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await get(id);
    if (job && states.includes(job.state)) return job;
    if (Date.now() > until) throw new Error(`job ${id} is ${job?.state ?? 'missing'}, not ${states.join('/')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
