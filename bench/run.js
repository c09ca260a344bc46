// `npm run bench`: CPU time per request of the proxy (request log text, json and off) beside a
// bare node:http server doing the least the same answer needs, side by side in one run, read from
// the OS so that the load generator's speed cannot cap the figures; then how the proxy scales.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pin, planPinning } from './cpus.js';
import { runExtras } from './extras.js';
import { pickGenerator } from './load.js';
import { childTarget, measure, measureTogether } from './measure.js';
import { summarizeProfile } from './profile.js';
import { loadAverage, median, printHeader, printMemory, printTable } from './report.js';
import {
  AUTOMATIC_HEADERS,
  capture,
  headerText,
  killAll,
  memoryOf,
  startChild,
  stopAll,
  stopChild,
} from './servers.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bench = fileURLToPath(new URL('.', import.meta.url));
const example = join(repo, 'connectors/connector-example');
const http = join(repo, 'connectors/connector-http');

/** The proxy's request log settings, each in its own process; `text` is what `npm start` runs. */
const LOGS = /** @type {const} */ (['text', 'json', 'off']);

const HELP = `Usage: node bench/run.js [options]

Measures CPU time per request (from the OS), throughput and p99 of the proxy with its request log
text, json and off, against a bare node:http server answering the same bytes (listing, example) or
forwarding to the same local upstream (http), alternating rounds; then the extras: 256 calls to a
slow upstream, 1,000 commands loaded, start-up time and idle RSS, 1 and 2 workers.

Options:
  --duration S      seconds per measured round (default 1)
  --warmup S        seconds of warm-up per server and scenario (default 2)
  --rounds N        measured rounds per server and scenario (default 15)
  --log-rounds N    rounds of the request log's cost per scenario, the proxies loaded at once (default 10; 0: skip)
  --log-duration S  seconds per such round (default 2)
  --connections N   concurrent connections (default 32)
  --only NAMES      comma-separated: listing, example, http, slow, many, start, workers
  --generator G     wrk or autocannon (default: wrk when it is on the PATH)
  --no-pin          let the servers share cores with the load generator (default: each measured
                    server on the last core, wrk and the upstream on the others, where taskset works)
  --profile         write CPU profiles of the proxies to bench/.bench/ and summarize them
  --no-build        skip building
  -h, --help        show this help
`;

/**
 * @typedef {object} Scenario
 * @property {'listing' | 'example' | 'http'} name
 * @property {'GET' | 'POST'} method
 * @property {string} path
 * @property {string} [body]
 * @property {string} [expect]  text every answer must hold
 * @property {number} target    least acceptable ratio of bare CPU per request to the proxy's, log on
 */

/** A bad command-line option: reported in one line, without a stack. */
class UsageError extends Error {}

/** @param {string} upstream @returns {Scenario[]} */
function scenarios(upstream) {
  return [
    { name: 'listing', method: 'GET', path: '/v1/commands', target: 0.8 },
    {
      name: 'example',
      method: 'POST',
      path: '/v1/do/example/Example',
      body: JSON.stringify({ message: 'Hello from the benchmark' }),
      expect: '"error":null',
      target: 0.6,
    },
    {
      name: 'http',
      method: 'POST',
      path: '/v1/do/http/GetRequestV2',
      body: JSON.stringify({ url: `${upstream}/data` }),
      expect: '"error":null',
      target: 0.7,
    },
  ];
}
const NAMES = ['listing', 'example', 'http', 'slow', 'many', 'start', 'workers'];

main().then(
  (code) => stopAll().then(() => process.exit(code)),
  (error) => {
    const detail = error instanceof UsageError ? error.message : error instanceof Error ? error.stack : String(error);
    console.error(`\nbench: FAILED: ${detail}`);
    return stopAll().then(() => process.exit(1));
  },
);

async function main() {
  const settings = readSettings(process.argv.slice(2));
  if (settings === undefined) {
    process.stdout.write(HELP);
    return 0;
  }
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.on(signal, () => {
      console.error(`\nbench: interrupted (${signal}), stopping the servers`);
      stopAll().then(() => process.exit(130));
    });
  }
  process.on('exit', killAll);
  // A second a round for wrk to start, connect and report.
  const budgetS =
    3 * 4 * (settings.warmup + settings.rounds * (settings.duration + 1)) +
    // Each round of the log's cost starts three proxies, then warms up and measures each scenario.
    settings.logRounds * (2 + 2 * (3 * settings.warmup + settings.logDuration + 2)) +
    400;
  setTimeout(() => {
    console.error(`\nbench: FAILED: still running after ${budgetS} s, giving up`);
    killAll();
    process.exit(1);
  }, budgetS * 1000).unref();

  const built = settings.build ? build() : 'skipped';
  const generator = pickGenerator(settings.generator);
  printHeader({ ...settings, generator });
  console.log(`build: ${built}; load average before: ${loadAverage()}`);

  const upstreamChild = await startChild('upstream.js', {});
  const upstream = `http://127.0.0.1:${upstreamChild.port}`;
  const chosen = scenarios(upstream).filter((s) => settings.only.has(s.name));
  if (chosen.length > 0) {
    const pinning = settings.pin ? planPinning() : undefined;
    console.log(
      pinning
        ? `pinned: each measured server on CPU ${pinning.servers}; wrk, the upstream and this process on CPU ${pinning.others}`
        : 'not pinned: servers and the load generator share every core',
    );
    // The generator and the upstream inherit this process's binding when they start, or are bound now.
    if (pinning) for (const pid of [process.pid, upstreamChild.child.pid]) pin(pid, pinning.others);
    try {
      await runMain(settings, generator, chosen, pinning);
    } finally {
      // The extras measure the proxy on every core (workers), so nothing stays bound.
      if (pinning) for (const pid of [process.pid, upstreamChild.child.pid]) pin(pid, pinning.all);
    }
  }
  await runExtras({ settings, generator, upstream, example, http, repo, built });
  console.log(`\nload average after: ${loadAverage()} (other work on the machine makes the figures noisy)`);
  return 0;
}

/**
 * The side-by-side table: every scenario on the three proxies and the bare server, rounds
 * alternated so that slow drift on the machine spreads over every side.
 * @param {ReturnType<typeof readSettings> & {}} settings
 * @param {'wrk' | 'autocannon'} generator
 * @param {Scenario[]} chosen
 * @param {ReturnType<typeof planPinning>} pinning
 */
async function runMain(settings, generator, chosen, pinning) {
  const execArgv = settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir()}`] : [];
  /** @type {Record<string, import('./servers.js').Started>} */
  const proxies = {};
  for (const log of LOGS) proxies[log] = await startChild('proxy.js', { execArgv, args: [log, example, http] });
  if (pinning) for (const started of Object.values(proxies)) pin(started.child.pid, pinning.servers);
  const text = /** @type {import('./servers.js').Started} */ (proxies.text);
  const proxyUrl = `http://127.0.0.1:${text.port}`;
  console.log(`proxies: ${LOGS.map((l) => `${l} pid ${proxies[l]?.child.pid}`).join(', ')}`);
  console.log(`connectors: ${text.info.connectors.join(', ')} (${text.info.commands} commands)`);

  // The proxy's answers, byte for byte; the bare server is given exactly these, then checked.
  const answers = [];
  for (const s of chosen) {
    const answer = await capture(proxyUrl, s);
    if (answer.status !== 200) throw new Error(`${s.method} ${s.path} answered ${answer.status}: ${answer.body}`);
    answers.push({ s, answer });
  }
  const copied = answers.filter(({ s }) => s.name !== 'http');
  const bare = await startChild('bare.js', {
    execArgv,
    message: {
      routes: copied.map(({ s, answer }) => ({
        method: s.method,
        path: s.path,
        status: answer.status,
        headers: answer.headers.filter(([name]) => !AUTOMATIC_HEADERS.has(name.toLowerCase())),
        body: answer.body.toString('base64'),
      })),
      forward: chosen.filter((s) => s.name === 'http').map((s) => ({ method: s.method, path: s.path })),
    },
  });
  if (pinning) pin(bare.child.pid, pinning.servers);
  console.log(`bare:  pid ${bare.child.pid}`);
  for (const { s, answer } of answers) {
    const copy = await capture(`http://127.0.0.1:${bare.port}`, s);
    if (copy.status !== answer.status || !copy.body.equals(answer.body) || headerText(copy) !== headerText(answer)) {
      throw new Error(
        `the bare server's answer to ${s.method} ${s.path} differs from the proxy's:\n${copy.body}\n${answer.body}`,
      );
    }
    console.log(`${s.method} ${s.path}: ${answer.status}, ${answer.body.length} bytes, identical on both servers`);
  }

  const targets = [...LOGS.map((l) => childTarget(l, /** @type {any} */ (proxies[l]))), childTarget('bare', bare)];
  const load = { connections: settings.connections, duration: settings.duration };
  /** @type {Record<string, number>} */
  const measured = { text: 0, json: 0, off: 0 };
  process.stdout.write('\nwarming up');
  for (const s of chosen) {
    for (const t of targets) await measure(generator, t, s, { ...load, duration: settings.warmup });
    process.stdout.write(` ${s.name}`);
  }
  /** @type {Record<string, number>} */
  const warmHeap = {};
  for (const log of LOGS) warmHeap[log] = (await memoryOf(/** @type {any} */ (proxies[log]).child)).heapUsed;
  process.stdout.write('\n');

  const rows = [];
  for (const s of chosen) {
    /** @type {Record<string, import('./measure.js').Round[]>} */
    const runs = { text: [], json: [], off: [], bare: [] };
    process.stdout.write(`${s.name}:`);
    for (let round = 0; round < settings.rounds; round += 1) {
      // Rotate the order each round: no side always runs first or right after another.
      const order = [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)];
      for (const t of order) {
        const run = await measure(generator, t, s, load);
        runs[t.name]?.push(run);
        if (t.name !== 'bare') measured[t.name] = (measured[t.name] ?? 0) + run.requests;
        process.stdout.write(` ${t.name} ${run.cpuUs.toFixed(1)}us`);
      }
    }
    process.stdout.write('\n');
    const bareRuns = runs.bare ?? [];
    for (const log of LOGS) {
      const proxyRuns = runs[log] ?? [];
      const proxyCpu = median(proxyRuns.map((r) => r.cpuUs));
      const bareCpu = median(bareRuns.map((r) => r.cpuUs));
      rows.push({
        scenario: s.name,
        log,
        proxyCpu,
        bareCpu,
        ratio: bareCpu / proxyCpu,
        spread: proxyRuns.map((r, i) => (bareRuns[i]?.cpuUs ?? Number.NaN) / r.cpuUs),
        proxyRounds: proxyRuns.map((r) => r.cpuUs),
        proxyRps: median(proxyRuns.map((r) => r.rps)),
        bareRps: median(bareRuns.map((r) => r.rps)),
        proxyP99: median(proxyRuns.map((r) => r.p99Ms)),
        bareP99: median(bareRuns.map((r) => r.p99Ms)),
        linesPerRequest: proxyRuns.reduce((n, r) => n + r.logLines, 0) / proxyRuns.reduce((n, r) => n + r.requests, 0),
        target: log === 'off' ? undefined : s.target,
      });
    }
  }
  const logCosts = await measureLogCosts(settings, generator, chosen, pinning);
  printTable(rows, logCosts);
  for (const log of LOGS) {
    const child = /** @type {any} */ (proxies[log]).child;
    printMemory(`log ${log}`, await memoryOf(child), warmHeap[log] ?? 0, measured[log] ?? 0);
  }
  const bareMemory = await memoryOf(bare.child);
  console.log(
    `bare server: RSS ${(bareMemory.rss / 1048576).toFixed(1)} MB, heap ${(bareMemory.heapUsed / 1048576).toFixed(1)} MB`,
  );
  if (settings.profile) await printProfiles(proxies);
  for (const started of [...Object.values(proxies), bare]) started.child.kill('SIGTERM');
}

/**
 * The request log's cost: three fresh proxies (log text, json, off) each round, loaded at the same
 * moment, each by its own wrk with half the table's connections, on the one core they share (when
 * pinned): the listing and the example warmed up, then measured for `logDuration` seconds; the order they are
 * loaded in rotates each round. Measured one after the other, as in the table, the difference of
 * two proxies moves by 10 to 30 us between rounds on a shared VM, more than the cost; measured
 * together, by 1 to 3. Fresh processes, because a process can also sit a few microseconds above
 * or below its twin for its whole life (where V8 placed and compiled its code): over the rounds
 * that becomes noise the median sees, where one set of processes would carry it into every round.
 * @param {ReturnType<typeof readSettings> & {}} settings
 * @param {'wrk' | 'autocannon'} generator
 * @param {Scenario[]} chosen
 * @param {ReturnType<typeof planPinning>} pinning
 * @returns {Promise<import('./report.js').LogCost[]>}
 */
async function measureLogCosts(settings, generator, chosen, pinning) {
  // The http scenario's line is the same line; with three proxies calling one upstream at once,
  // on the core wrk uses, its CPU per request moves by tens of microseconds a round.
  const measured = chosen.filter((s) => s.name !== 'http');
  if (settings.logRounds === 0 || measured.length === 0) return [];
  const load = { connections: Math.max(1, Math.floor(settings.connections / 2)), duration: settings.logDuration };
  /** @type {Record<string, Record<string, number[]>>} */
  const cpu = Object.fromEntries(measured.map((s) => [s.name, { text: [], json: [], off: [] }]));
  process.stdout.write('\nrequest log: three fresh proxies a round, loaded at once');
  for (let round = 0; round < settings.logRounds; round += 1) {
    /** @type {import('./servers.js').Started[]} */
    const started = [];
    try {
      for (const log of LOGS) started.push(await startChild('proxy.js', { args: [log, example, http] }));
      if (pinning) for (const s of started) pin(s.child.pid, pinning.servers);
      const targets = started.map((s, i) => childTarget(LOGS[i] ?? '', s));
      const order = [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)];
      for (const s of measured) {
        // Three times the table's warm-up: three proxies share the core, so each gets as much CPU as there.
        await measureTogether(generator, order, s, { ...load, duration: 3 * settings.warmup });
        const figures = await measureTogether(generator, order, s, load);
        for (const [i, t] of order.entries()) cpu[s.name]?.[t.name]?.push(figures[i]?.cpuUs ?? Number.NaN);
      }
    } finally {
      await Promise.all(started.map((s) => stopChild(s.child)));
    }
    process.stdout.write('.');
  }
  process.stdout.write('\n');
  return measured.flatMap((s) => {
    const figures = cpu[s.name] ?? {};
    const off = figures.off ?? [];
    return ['text', 'json'].map((log) => ({
      scenario: s.name,
      log,
      differences: (figures[log] ?? []).map((v, i) => v - (off[i] ?? Number.NaN)),
    }));
  });
}

/** @param {Record<string, import('./servers.js').Started>} proxies */
async function printProfiles(proxies) {
  await stopAll();
  for (const [log, started] of Object.entries(proxies)) {
    const pid = started.child.pid;
    const name = readdirSync(profileDir()).find((f) => f.includes(`.${pid}.`) && f.endsWith('.cpuprofile'));
    if (name === undefined) throw new Error(`no CPU profile of the proxy (pid ${pid}) in ${profileDir()}`);
    const file = join(profileDir(), name);
    console.log(`\nCPU profile of the proxy with log ${log}: ${file} (Chrome DevTools, or node bench/profile.js FILE)`);
    for (const line of summarizeProfile(file, 25)) console.log(line);
  }
}

/** @param {string[]} args */
function readSettings(args) {
  const { values } = parseOptions({
    args,
    options: {
      duration: { type: 'string', default: '1' },
      warmup: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '15' },
      'log-rounds': { type: 'string', default: '10' },
      'log-duration': { type: 'string', default: '2' },
      connections: { type: 'string', default: '32' },
      only: { type: 'string' },
      generator: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const only = values.only === undefined ? NAMES : values.only.split(',').map((n) => n.trim());
  const unknown = only.filter((n) => !NAMES.includes(n));
  if (unknown.length > 0) throw new UsageError(`--only takes ${NAMES.join(', ')}; got ${unknown.join(', ')}`);
  if (values.generator !== undefined && values.generator !== 'wrk' && values.generator !== 'autocannon') {
    throw new UsageError(`--generator must be wrk or autocannon, got ${values.generator}`);
  }
  return {
    duration: whole('--duration', values.duration, 1, 60),
    warmup: whole('--warmup', values.warmup, 1, 60),
    rounds: whole('--rounds', values.rounds, 1, 99),
    logRounds: whole('--log-rounds', values['log-rounds'], 0, 99),
    logDuration: whole('--log-duration', values['log-duration'], 1, 60),
    connections: whole('--connections', values.connections, 1, 1000),
    only: new Set(only),
    generator: /** @type {'wrk' | 'autocannon' | undefined} */ (values.generator),
    profile: values.profile,
    pin: !values['no-pin'],
    build: !values['no-build'],
  };
}

/**
 * parseArgs, with its errors (an unknown option ...) reported as usage errors.
 * @template {import('node:util').ParseArgsConfig} T
 * @param {T} config
 * @returns {ReturnType<typeof parseArgs<T>>}
 */
function parseOptions(config) {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** @param {string} name @param {string} text @param {number} min @param {number} max */
function whole(name, text, min, max) {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, got ${text}`);
  }
  return value;
}

/**
 * Builds the whole tree (the start-up figure is of `npm start`'s tree); when some package does
 * not compile, builds only what the bench loads, so that it cannot stop the bench.
 * @returns {'full' | 'partial'}
 */
function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const full = spawnSync(process.execPath, [tsc, '-b'], { cwd: repo, stdio: 'inherit' });
  if (full.status === 0) return 'full';
  console.error('bench: the full build failed; building only what the bench loads');
  const projects = [
    'packages/core',
    'packages/server',
    'packages/cli',
    'connectors/connector-example',
    'connectors/connector-http',
  ];
  const result = spawnSync(process.execPath, [tsc, '-b', ...projects], { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -b ${projects.join(' ')} failed`);
  return 'partial';
}

/** Where profiles and generated fixtures go (ignored by git and Biome). */
function profileDir() {
  const dir = join(bench, '.bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}
