// How the proxy scales, beside the main table: many concurrent calls to a slow upstream, a
// thousand commands loaded, start-up time and idle memory of the built CLI, and 1 against 2 workers.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad } from './load.js';
import { childTarget, clusterTarget, measure } from './measure.js';
import { median, micros, millis, printAligned, printBelow } from './report.js';
import { AUTOMATIC_HEADERS, capture, startChild, track } from './servers.js';

const bench = fileURLToPath(new URL('.', import.meta.url));
const fixtures = join(bench, '.bench');

/** 256 calls in flight to an upstream answering after 500 ms: at most 512 answers a second. */
const SLOW = { connections: 256, duration: 10, target: 400 };
const MANY_COMMANDS = 1000;
const START_TARGET_MS = 1000;
const IDLE_RSS_TARGET_MB = 80;

/**
 * @typedef {object} ExtrasContext
 * @property {{ only: Set<string>, rounds: number, duration: number, warmup: number, connections: number }} settings
 * @property {'wrk' | 'autocannon'} generator
 * @property {string} upstream
 * @property {string} example
 * @property {string} http
 * @property {string} repo
 * @property {'full' | 'partial' | 'skipped'} built
 */

/** Runs the extras that `--only` selects and prints each one's figures. @param {ExtrasContext} context */
export async function runExtras(context) {
  /** @type {string[]} */
  const below = [];
  const { only } = context.settings;
  if (only.has('slow')) below.push(...(await runSlow(context)));
  if (only.has('many')) await runMany(context);
  if (only.has('start')) below.push(...(await runStart(context)));
  if (only.has('workers')) await runWorkers(context);
  if (['slow', 'start'].some((n) => only.has(n))) printBelow(below);
}

/** @param {ExtrasContext} context */
async function runSlow(context) {
  const { generator, upstream, example, http } = context;
  const proxy = await startChild('proxy.js', { args: ['text', example, http] });
  const path = '/v1/do/http/GetRequestV2';
  const bare = await startChild('bare.js', { message: { routes: [], forward: [{ method: 'POST', path }] } });
  const request = { method: /** @type {const} */ ('POST'), body: JSON.stringify({ url: `${upstream}/slow` }) };
  const lines = [];
  for (const [name, started] of /** @type {const} */ ([
    ['proxy (log text)', proxy],
    ['bare forwarder', bare],
  ])) {
    const spec = { ...request, url: `http://127.0.0.1:${started.port}${path}`, expect: '"error":null' };
    const r = await runLoad(generator, { ...spec, connections: SLOW.connections, duration: SLOW.duration });
    lines.push([name, Math.round(r.rps).toString(), r.failed.toString(), millis(r.p50Ms), millis(r.p99Ms)]);
  }
  // The same through the built CLI with two workers: a burst of answers is shared by two cores.
  const cli = await startCli(context, { CONNECTOR_PROXY_WORKERS: '2' });
  await waitForWorkers(cli, 2);
  const spec = { ...request, url: `${cli.url}${path}`, expect: '"error":null' };
  const r = await runLoad(generator, { ...spec, connections: SLOW.connections, duration: SLOW.duration });
  lines.push(['proxy, 2 workers', Math.round(r.rps).toString(), r.failed.toString(), millis(r.p50Ms), millis(r.p99Ms)]);
  await stopCli(cli.child);
  console.log(
    `\n${SLOW.connections} concurrent http/GetRequestV2 calls to an upstream answering after 500 ms, ${SLOW.duration} s:`,
  );
  printAligned(['server', 'req/s', 'errors', 'p50', 'p99'], lines);
  proxy.child.kill('SIGTERM');
  bare.child.kill('SIGTERM');
  const [, rps = '0', errors = '0'] = lines[0] ?? [];
  return Number(rps) >= SLOW.target && errors === '0'
    ? []
    : [`slow upstream: ${rps} req/s with ${errors} errors (target >= ${SLOW.target}/s, no error)`];
}

/** Listing and execution cost with 1,000 commands loaded, against the usual 15. @param {ExtrasContext} context */
async function runMany({ generator, example, http, settings }) {
  const many = writeManyConnector();
  const few = await startChild('proxy.js', { args: ['text', example, http] });
  const lots = await startChild('proxy.js', { args: ['text', example, http, many] });
  const listing = { method: /** @type {const} */ ('GET'), path: '/v1/commands' };
  const answer = await capture(`http://127.0.0.1:${lots.port}`, listing);
  const bare = await startChild('bare.js', {
    message: {
      routes: [
        {
          ...listing,
          status: answer.status,
          headers: answer.headers.filter(([name]) => !AUTOMATIC_HEADERS.has(name.toLowerCase())),
          body: answer.body.toString('base64'),
        },
      ],
    },
  });
  const execution = {
    method: /** @type {const} */ ('POST'),
    path: '/v1/do/example/Example',
    body: JSON.stringify({ message: 'Hello from the benchmark' }),
    expect: '"error":null',
  };
  const cases = [
    { name: `listing, ${few.info.commands} commands`, target: childTarget('few', few), request: listing },
    { name: `listing, ${lots.info.commands} commands`, target: childTarget('lots', lots), request: listing },
    { name: `bare, the ${lots.info.commands}-command listing`, target: childTarget('bare', bare), request: listing },
    { name: `example, ${few.info.commands} commands loaded`, target: childTarget('few', few), request: execution },
    { name: `example, ${lots.info.commands} commands loaded`, target: childTarget('lots', lots), request: execution },
  ];
  const load = { connections: settings.connections, duration: settings.duration };
  for (const c of cases) await measure(generator, c.target, c.request, { ...load, duration: settings.warmup });
  /** @type {import('./measure.js').Round[][]} */
  const runs = cases.map(() => []);
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const [i, c] of cases.entries()) runs[i]?.push(await measure(generator, c.target, c.request, load));
  }
  console.log(`\nlisting ${answer.body.length} bytes with ${lots.info.commands} commands; CPU per request (log text):`);
  printAligned(
    ['case', 'CPU/req', 'req/s', 'p99'],
    cases.map((c, i) => {
      const r = runs[i] ?? [];
      return [
        c.name,
        micros(median(r.map((x) => x.cpuUs))),
        Math.round(median(r.map((x) => x.rps))).toString(),
        millis(median(r.map((x) => x.p99Ms))),
      ];
    }),
  );
  for (const started of [few, lots, bare]) started.child.kill('SIGTERM');
}

/** A connector package of MANY_COMMANDS small commands, generated under bench/.bench. */
function writeManyConnector() {
  const dir = join(fixtures, 'connector-many');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'connector-many', version: '0.0.0', type: 'module', exports: './index.js' }),
  );
  writeFileSync(
    join(dir, 'index.js'),
    `import { defineCommand, defineConnector, param } from '@connector-proxy/core';
const commands = {};
for (let i = 0; i < ${MANY_COMMANDS}; i += 1) {
  commands['Command' + i] = defineCommand({
    description: 'Generated command number ' + i + ' of the benchmark.',
    params: { message: param.str('what to echo'), count: param.int('how often').optional() },
    run: ({ message }) => ({ body: { message } }),
  });
}
export default defineConnector({ name: 'many', commands });
`,
  );
  return dir;
}

/**
 * Starts the built CLI (`connector-proxy serve`, as `npm start` does after its build) and
 * resolves once it prints its URL.
 * @param {ExtrasContext} context
 * @param {Record<string, string>} env
 */
async function startCli({ repo, example, http, built }, env) {
  // From the repository, every bundled connector is loaded; after a partial build only two are.
  const cwd = built === 'partial' ? fixtures : repo;
  const extra = built === 'partial' ? { CONNECTOR_PROXY_CONNECTORS: `${example},${http}` } : {};
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CONNECTOR_')));
  const started = performance.now();
  const child = spawn(process.execPath, [join(repo, 'packages/cli/dist/bin.js'), 'serve', '--port', '0'], {
    cwd,
    env: { ...clean, ...extra, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(child);
  let out = '';
  let lines = 0;
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the CLI did not start within 15 s:\n${out}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      lines += String(chunk).split('\n').length - 1;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`the CLI exited with ${code}:\n${out}`)));
  });
  return { child, url: /** @type {string} */ (url), started, lines: () => lines, output: () => out };
}

/**
 * Waits until every worker of a started CLI listens, before it is loaded.
 * @param {{ output: () => string }} cli
 * @param {number} workers
 */
async function waitForWorkers(cli, workers) {
  const deadline = Date.now() + 15_000;
  while ((cli.output().match(/listening on/g) ?? []).length < workers && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** @param {import('node:child_process').ChildProcess} child */
function stopCli(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(undefined);
    child.once('exit', () => resolve(undefined));
    child.kill('SIGTERM');
  });
}

/** Start to first 200 and idle RSS, three times. @param {ExtrasContext} context */
async function runStart(context) {
  if (context.built === 'skipped') console.log('\n(start-up measured on whatever is built: --no-build)');
  const firsts = [];
  const rss = [];
  for (let i = 0; i < 3; i += 1) {
    const cli = await startCli(context, {});
    let res = await fetch(`${cli.url}/v1/commands`);
    while (res.status !== 200) res = await fetch(`${cli.url}/v1/commands`);
    await res.arrayBuffer();
    firsts.push(performance.now() - cli.started);
    for (let n = 0; n < 200; n += 1) await (await fetch(`${cli.url}/v1/commands`)).arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    rss.push(readRssMb(cli.child.pid ?? 0));
    await stopCli(cli.child);
  }
  const first = median(firsts);
  const idle = median(rss);
  const where = context.built === 'partial' ? 'example and http only (partial build)' : 'every bundled connector';
  console.log(`\nbuilt CLI (connector-proxy serve, ${where}), 3 starts:`);
  console.log(
    `start to first 200 of GET /v1/commands: ${firsts.map((t) => t.toFixed(0)).join(', ')} ms, median ${first.toFixed(0)} ms (target <= ${START_TARGET_MS} ms)`,
  );
  console.log(
    `idle RSS after 200 requests and 2 s: ${rss.map((m) => m.toFixed(1)).join(', ')} MB, median ${idle.toFixed(1)} MB (target <= ${IDLE_RSS_TARGET_MB} MB)`,
  );
  const below = [];
  if (first > START_TARGET_MS) below.push(`start to first 200 took ${first.toFixed(0)} ms`);
  if (idle > IDLE_RSS_TARGET_MB) below.push(`idle RSS ${idle.toFixed(1)} MB`);
  return below;
}

/** @param {number} pid */
function readRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Throughput and CPU of the built CLI with 1 and with 2 workers (log text). @param {ExtrasContext} context */
async function runWorkers(context) {
  const { generator, settings } = context;
  const execution = {
    method: /** @type {const} */ ('POST'),
    path: '/v1/do/example/Example',
    body: JSON.stringify({ message: 'Hello from the benchmark' }),
    expect: '"error":null',
  };
  const listing = { method: /** @type {const} */ ('GET'), path: '/v1/commands' };
  const clis = [];
  for (const workers of ['1', '2']) {
    const cli = await startCli(context, { CONNECTOR_PROXY_WORKERS: workers });
    await waitForWorkers(cli, Number(workers));
    clis.push({ workers, target: clusterTarget(`workers ${workers}`, cli.url, cli.child.pid ?? 0, cli.lines), cli });
  }
  const load = { connections: settings.connections, duration: settings.duration };
  const lines = [];
  for (const request of [listing, execution]) {
    for (const c of clis) await measure(generator, c.target, request, { ...load, duration: settings.warmup });
    /** @type {import('./measure.js').Round[][]} */
    const runs = clis.map(() => []);
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const [i, c] of clis.entries()) runs[i]?.push(await measure(generator, c.target, request, load));
    }
    for (const [i, c] of clis.entries()) {
      const r = runs[i] ?? [];
      lines.push([
        `${request.method} ${request.path}`,
        c.workers,
        Math.round(median(r.map((x) => x.rps))).toString(),
        millis(median(r.map((x) => x.p99Ms))),
        micros(median(r.map((x) => x.cpuUs))),
      ]);
    }
  }
  console.log('\nbuilt CLI with CONNECTOR_PROXY_WORKERS=1 and =2 (log text; CPU of the primary and every worker):');
  printAligned(['request', 'workers', 'req/s', 'p99', 'CPU/req'], lines);
  for (const c of clis) await stopCli(c.cli.child);
}
