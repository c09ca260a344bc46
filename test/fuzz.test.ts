/**
 * Fuzz: thousands of generated hostile requests against every bundled command through the real app,
 * in-process and over a real port. No answer may be a 5xx, every one must be a JSON envelope, and
 * the process must not crash. Replay a failure with the seed it prints: `FUZZ_SEED=<n> npm test`.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { test } from 'node:test';
import { isPlainObject, type Registry, startRegistry } from '@connector-proxy/core';
import { createApp, readConfig } from '@connector-proxy/server';
import { startServer } from '@connector-proxy/server/node';
import example from 'connector-example';
import http from 'connector-http';
import postgres from 'connector-postgres';
import smtp from 'connector-smtp';
import { createRandom, type FuzzCase, hostileCase, type LocalTargets } from './fuzz-cases.js';
import { startHangUp, startSmtp, startUpstream, watchConnections } from './fuzz-servers.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const IN_PROCESS = Number(process.env.FUZZ_CASES ?? 10_000);
const OVER_PORT = Number(process.env.FUZZ_PORT_CASES ?? 400);
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 8);
/** Every bundled connector, each with its network parameters pointed at local servers (fuzz-cases.ts). */
const BUNDLED = {
  'connector-example': example,
  'connector-http': http,
  'connector-postgres': postgres,
  'connector-smtp': smtp,
};

interface Answer {
  status: number;
  type: string | null;
  text: string;
}

/** Why an answer breaks the rules, or undefined when it keeps them. */
function problemWith(c: FuzzCase, { status, type, text }: Answer): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `status ${status}, not JSON: ${JSON.stringify(text.slice(0, 200))}`;
  }
  if (!/^application\/json/.test(type ?? '')) return `status ${status}, Content-Type ${type}`;
  if (!isPlainObject(value)) return `status ${status}, not an object`;
  // A path the URL rules turn into something else (`..`, an extra slash) is no command: a JSON 404.
  const route = /^\/v1\/do\/[^/]+\/[^/]+$/.test(new URL(c.path, 'http://x').pathname);
  if (!route)
    return typeof value.error === 'string' ? undefined : `status ${status}, route answer ${text.slice(0, 200)}`;
  const { command_response, error, command_response_version, spiff__logs } = value;
  const errorOk =
    error === null ||
    (isPlainObject(error) && typeof error.error_code === 'string' && typeof error.message === 'string');
  const logsOk = Array.isArray(spiff__logs) && spiff__logs.every((line) => typeof line === 'string');
  if (command_response_version !== 2 || !isPlainObject(command_response) || !errorOk || !logsOk) {
    return `status ${status}, not an envelope: ${text.slice(0, 300)}`;
  }
  return undefined;
}

/** Tallies for the report. */
function createTally() {
  const counts = new Map<string, number>();
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const failures: string[] = [];
  return {
    failures,
    record(c: FuzzCase, index: number, answer: Answer) {
      bump(`kind ${c.kind}`);
      bump(`status ${answer.status}`);
      const code = /"error_code":"([^"]*)"/.exec(answer.text)?.[1];
      bump(`code ${code ?? '(none)'}`);
      const problem = problemWith(c, answer);
      if (problem) failures.push(`#${index} ${c.kind} ${c.method} ${c.path.slice(0, 120)}: ${problem}`);
    },
    summary: (prefix: string) =>
      [...counts]
        .filter(([key]) => key.startsWith(prefix))
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => `${key.slice(prefix.length + 1)}=${n}`)
        .join(' '),
  };
}

/** The cases in order (the seed decides them all), round-robin over the commands. */
function generate(registry: Registry, targets: LocalTargets, seed: number, count: number): FuzzCase[] {
  const random = createRandom(seed);
  const commands = registry.list();
  return Array.from({ length: count }, (_, i) => {
    const entry = commands[i % commands.length];
    assert.ok(entry);
    return hostileCase(random, entry.id, entry.parameters, targets);
  });
}

test('the fuzz covers every bundled connector (a new one needs its network parameters made local first)', () => {
  const folders = readdirSync(new URL('../connectors/', import.meta.url)).filter((name) =>
    name.startsWith('connector-'),
  );
  // The catalog connectors (ai, aws, rand, slack) are fuzzed in fuzz-catalog.test.ts against their fakes.
  const elsewhere = ['connector-ai', 'connector-aws', 'connector-rand', 'connector-slack'];
  assert.deepEqual(folders.sort(), [...Object.keys(BUNDLED), ...elsewhere].sort());
});

async function inPool<T>(items: readonly T[], run: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) await run(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function sendOverPort(port: number, agent: Agent, c: FuzzCase, asGet: boolean): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = c.body ?? new Uint8Array(0);
    const headers = { ...c.headers, ...(c.body ? { 'Content-Length': String(body.length) } : {}) };
    const req = request({ host: '127.0.0.1', port, path: c.path, method: asGet ? 'GET' : c.method, headers, agent });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'] ?? null,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.end(c.body ? body : undefined);
  });
}

test(`hostile bodies and parameters against every bundled command never get a 5xx or a broken envelope (seed ${SEED})`, async (t) => {
  const started = performance.now();
  const watch = watchConnections();
  const upstream = await startUpstream();
  const mail = await startSmtp();
  const hangUp = await startHangUp();
  const targets: LocalTargets = {
    httpBase: `http://127.0.0.1:${upstream.port}`,
    smtpPort: mail.port,
    hangUpPort: hangUp.port,
  };
  const registry = await startRegistry(Object.values(BUNDLED), { env: {} });
  const config = readConfig({
    CONNECTOR_PROXY_PORT: '0',
    CONNECTOR_PROXY_LOG_FORMAT: 'off',
    CONNECTOR_PROXY_COMMAND_TIMEOUT_MS: '5000',
  });
  const app = createApp(registry, { commandTimeoutMs: config.commandTimeoutMs, bodyLimitBytes: config.bodyLimitBytes });
  const server = await startServer(config, registry);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const local = createTally();
    const slow: { ms: number; what: string }[] = [];
    const kindMs = new Map<string, number>();
    const cases = generate(registry, targets, SEED, IN_PROCESS);
    await inPool(cases, async (c, i) => {
      const init: RequestInit = { method: c.method, headers: c.headers, ...(c.body ? { body: c.body } : {}) };
      const before = performance.now();
      const res = await app.request(c.path, init);
      local.record(c, i, { status: res.status, type: res.headers.get('content-type'), text: await res.text() });
      const ms = performance.now() - before;
      kindMs.set(c.kind, (kindMs.get(c.kind) ?? 0) + ms);
      if (ms > 1_000)
        slow.push({ ms, what: `#${i} ${c.kind} ${c.path.slice(0, 50)} ${c.body?.length ?? 0} B ${Math.round(ms)} ms` });
    });

    const remote = createTally();
    const random = createRandom(SEED + 1);
    const overPort = generate(registry, targets, SEED + 2, OVER_PORT);
    await inPool(overPort, async (c, i) => {
      const asGet = c.method === 'POST' && random.chance(0.3);
      remote.record({ ...c, method: asGet ? 'GET' : c.method }, i, await sendOverPort(server.port, agent, c, asGet));
    });
    const alive = await fetch(`${server.url}/v1/liveness`);
    assert.equal(alive.status, 200, 'the server still answers after the run');

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    for (const line of [
      `seed ${SEED} (replay with FUZZ_SEED=${SEED}); ${cases.length} cases in-process, ${overPort.length} over a real port, ${seconds} s`,
      `commands: ${registry.list().length}, each ~${Math.round(cases.length / registry.list().length)} cases in-process`,
      `in-process statuses: ${local.summary('status')}`,
      `in-process kinds: ${local.summary('kind')}`,
      `in-process error codes: ${local.summary('code')}`,
      `over the port statuses: ${remote.summary('status')}`,
      `upstream HTTP requests served: ${upstream.served()}, SMTP messages queued: ${mail.served()}, database connections refused: ${hangUp.served()}`,
      `ms by kind: ${[...kindMs].map(([k, v]) => `${k}=${Math.round(v)}`).join(' ')}`,
      `slower than 1 s: ${slow.length}; slowest: ${slow
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map((x) => x.what)
        .join('; ')}`,
    ]) {
      t.diagnostic(line);
    }
    assert.deepEqual(watch.outside, [], 'every connection went to 127.0.0.1');
    assert.deepEqual(local.failures.slice(0, 20), [], `in-process failures (seed ${SEED}): ${local.failures.length}`);
    assert.deepEqual(
      remote.failures.slice(0, 20),
      [],
      `over-the-port failures (seed ${SEED}): ${remote.failures.length}`,
    );
    assert.ok(upstream.served() > 0 && mail.served() > 0, 'the cases reached the commands, not only the checks');
  } finally {
    agent.destroy();
    watch.stop();
    await server.close();
    await registry.close();
    await upstream.close();
    await mail.close();
    await hangUp.close();
  }
});
