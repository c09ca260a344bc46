// `npm run bench`: load the proxy and a bare node:http server that returns the same bytes, side by
// side in one run, and report the proxy's throughput as a ratio of that ceiling.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { summarizeProfile } from './profile.js';
import { loadAverage, median, printHeader, printMemory, printTable } from './report.js';
import { AUTOMATIC_HEADERS, capture, headerText, killAll, memoryOf, startChild, stopAll } from './servers.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bench = fileURLToPath(new URL('.', import.meta.url));

const HELP = `Usage: node bench/run.js [options]

Loads GET /v1/commands and POST /v1/do/example/Example on the proxy and on a bare node:http
server answering the same bytes, alternating runs, and prints the medians and their ratios.

Options:
  --duration S      seconds per measured run (default 4)
  --warmup S        seconds of warm-up per server and scenario (default 3)
  --rounds N        measured runs per server and scenario (default 4)
  --connections N   concurrent connections (default 50)
  --only NAME       run one scenario: listing or execution
  --profile         write a CPU profile of the proxy to bench/.bench/
  --no-build        skip building core, server and the example connector
  -h, --help        show this help
`;

/**
 * @typedef {object} Scenario
 * @property {string} name
 * @property {'GET' | 'POST'} method
 * @property {string} path
 * @property {string} [body]
 * @property {number} target  the least acceptable ratio of proxy to bare requests per second
 */

/** A bad command-line option: reported in one line, without a stack. */
class UsageError extends Error {}

/** @type {Scenario[]} */
const SCENARIOS = [
  { name: 'listing', method: 'GET', path: '/v1/commands', target: 0.7 },
  {
    name: 'execution',
    method: 'POST',
    path: '/v1/do/example/Example',
    body: JSON.stringify({ message: 'Hello from the benchmark' }),
    target: 0.5,
  },
];

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
  const scenarios = SCENARIOS.filter((s) => settings.only === undefined || s.name === settings.only);
  const budgetS = scenarios.length * 2 * (settings.warmup + settings.rounds * settings.duration) + 60;
  setTimeout(() => {
    console.error(`\nbench: FAILED: still running after ${budgetS} s, giving up`);
    killAll();
    process.exit(1);
  }, budgetS * 1000).unref();

  if (settings.build) build();
  // @ts-expect-error autocannon ships no type declarations
  const autocannon = (await import('autocannon')).default;

  printHeader(settings);
  console.log(`load average before: ${loadAverage()}`);
  const execArgv = settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir()}`] : [];
  const proxy = await startChild('proxy.js', { execArgv });
  const proxyUrl = `http://127.0.0.1:${proxy.port}`;
  console.log(`proxy: pid ${proxy.child.pid}, ${proxyUrl}, connectors ${proxy.info.connectors.join(', ')}`);

  // The proxy's answers, byte for byte; the bare server is given exactly these, then checked.
  const answers = [];
  for (const s of scenarios) {
    const answer = await capture(proxyUrl, s);
    if (answer.status !== 200) throw new Error(`${s.method} ${s.path} answered ${answer.status}: ${answer.body}`);
    answers.push({ s, answer });
  }
  // The bare server keeps connections alive as long as the proxy does (its Keep-Alive header says so).
  const keepAlive = answers[0]?.answer.headers.find(([name]) => name.toLowerCase() === 'keep-alive')?.[1];
  const keepAliveSeconds = Number(/timeout=(\d+)/.exec(keepAlive ?? '')?.[1] ?? 5);
  const bare = await startChild('bare.js', {
    message: {
      keepAliveTimeoutMs: keepAliveSeconds * 1000,
      routes: answers.map(({ s, answer }) => ({
        method: s.method,
        path: s.path,
        status: answer.status,
        headers: answer.headers.filter(([name]) => !AUTOMATIC_HEADERS.has(name.toLowerCase())),
        body: answer.body.toString('base64'),
      })),
    },
  });
  const bareUrl = `http://127.0.0.1:${bare.port}`;
  console.log(`bare:  pid ${bare.child.pid}, ${bareUrl}`);
  for (const { s, answer } of answers) {
    const copy = await capture(bareUrl, s);
    if (copy.status !== answer.status || !copy.body.equals(answer.body) || headerText(copy) !== headerText(answer)) {
      throw new Error(`the bare server's answer to ${s.method} ${s.path} differs from the proxy's`);
    }
    console.log(`${s.method} ${s.path}: ${answer.status}, ${answer.body.length} bytes, identical on both servers`);
  }

  /** @param {string} url @param {Scenario} s @param {number} duration */
  const load = async (url, s, duration) => {
    const result = await autocannon({
      url: url + s.path,
      method: s.method,
      connections: settings.connections,
      pipelining: 1,
      duration,
      ...(s.body !== undefined ? { body: s.body, headers: { 'content-type': 'application/json' } } : {}),
    });
    const failed = result.errors + result.timeouts + result.non2xx;
    if (failed > 0 || result.requests.total === 0) {
      throw new Error(
        `${url}${s.path}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`,
      );
    }
    return { rps: result.requests.average, p99: result.latency.p99, total: result.requests.total };
  };

  const rows = [];
  /** The proxy's heap once warm, to tell a leak (growth per request) from the working set. */
  let warmHeap;
  let measuredRequests = 0;
  for (const s of scenarios) {
    process.stdout.write(`\n${s.name}: warming up`);
    await load(proxyUrl, s, settings.warmup);
    await load(bareUrl, s, settings.warmup);
    warmHeap ??= (await memoryOf(proxy.child)).heapUsed;
    /** @type {Record<'proxy' | 'bare', { rps: number, p99: number }[]>} */
    const runs = { proxy: [], bare: [] };
    for (let round = 1; round <= settings.rounds; round += 1) {
      for (const [side, url] of /** @type {const} */ ([
        ['proxy', proxyUrl],
        ['bare', bareUrl],
      ])) {
        const run = await load(url, s, settings.duration);
        runs[side].push(run);
        if (side === 'proxy') measuredRequests += run.total;
        process.stdout.write(`, ${side} ${Math.round(run.rps)}/s`);
      }
    }
    process.stdout.write('\n');
    const proxyRps = median(runs.proxy.map((r) => r.rps));
    const bareRps = median(runs.bare.map((r) => r.rps));
    rows.push({
      scenario: `${s.method} ${s.path}`,
      proxyRps,
      bareRps,
      ratio: proxyRps / bareRps,
      spread: runs.proxy.map((r, i) => r.rps / (runs.bare[i]?.rps ?? Number.NaN)),
      proxyP99: median(runs.proxy.map((r) => r.p99)),
      bareP99: median(runs.bare.map((r) => r.p99)),
      target: s.target,
    });
  }

  printTable(rows);
  printMemory(await memoryOf(proxy.child), await memoryOf(bare.child), warmHeap ?? 0, measuredRequests);
  console.log(`load average after: ${loadAverage()} (other work on the machine makes the figures noisy)`);
  if (settings.profile) {
    await stopAll();
    const name = readdirSync(profileDir()).find((f) => f.includes(`.${proxy.child.pid}.`) && f.endsWith('.cpuprofile'));
    if (name === undefined) throw new Error(`no CPU profile of the proxy (pid ${proxy.child.pid}) in ${profileDir()}`);
    const file = join(profileDir(), name);
    console.log(`\nCPU profile of the proxy: ${file} (open it in Chrome DevTools, or node bench/profile.js FILE)`);
    console.log('It spans the whole run, so the proxy is idle while the bare server is loaded.');
    for (const line of summarizeProfile(file, 15)) console.log(line);
  }
  return 0;
}

/** @param {string[]} args */
function readSettings(args) {
  const { values } = parseOptions({
    args,
    options: {
      duration: { type: 'string', default: '4' },
      warmup: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '4' },
      connections: { type: 'string', default: '50' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  if (values.only !== undefined && !SCENARIOS.some((s) => s.name === values.only)) {
    throw new UsageError(`--only must be one of ${SCENARIOS.map((s) => s.name).join(', ')}, got ${values.only}`);
  }
  return {
    duration: whole('--duration', values.duration, 1, 60),
    warmup: whole('--warmup', values.warmup, 1, 60),
    rounds: whole('--rounds', values.rounds, 1, 9),
    connections: whole('--connections', values.connections, 1, 1000),
    only: values.only,
    profile: values.profile,
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

/** Builds only what the bench loads, so a connector that does not compile yet cannot stop it. */
function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const projects = ['packages/core', 'packages/server', 'connectors/connector-example'];
  const result = spawnSync(process.execPath, [tsc, '-b', ...projects], { cwd: repo, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`tsc -b ${projects.join(' ')} failed`);
}

function profileDir() {
  const dir = join(bench, '.bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}
