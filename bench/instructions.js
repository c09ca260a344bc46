// Instructions per request on each server's main thread, counted by valgrind's callgrind, for
// the proxy (request log text, json and off) and the bare server of run.js, listing, example and
// http (GET against the local upstream, the bare side being run.js's bare forwarder; the
// upstream's own instructions are not counted, the client side of the call is).
// On a shared VM the CPU time per request moves by a third from one round to the next; the
// instruction count of the same build moves by about 2%, whatever else the machine does. It is
// not time: cache misses and the kernel's side of system calls (the socket writes are a third of
// the time) are not in it, so read it beside run.js's CPU time, above all for small costs such as
// the request log's. Background threads (the optimizing compiler, parallel GC) are left out:
// their work comes in bursts that follow the warm-up, not the requests.
// Usage: node bench/instructions.js [--requests N] [--warmup N] [--connections N] [--keep DIR]
//   [--only listing,example,http] [--sides bare,text,json,off] [--perf-map]
// (after npm run build). --keep leaves callgrind's dumps in DIR (`callgrind_annotate DIR/text.out.2-01`
// shows where the example's instructions go, by function; dump 1 is the listing, 2 the example, 3 http).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { printAligned } from './report.js';
import { AUTOMATIC_HEADERS, capture, startChild, stopAll } from './servers.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '4000' },
    warmup: { type: 'string', default: '10000' },
    connections: { type: 'string', default: '32' },
    keep: { type: 'string' },
    only: { type: 'string', default: 'listing,example,http' },
    sides: { type: 'string', default: 'bare,text,json,off' },
    // --perf-basic-prof for every side: /tmp/perf-<pid>.map names the JIT code's addresses in the dumps.
    'perf-map': { type: 'boolean', default: false },
  },
});
const only = new Set(values.only.split(','));
const wanted = new Set(values.sides.split(','));
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const connections = Number(values.connections);
const repo = fileURLToPath(new URL('..', import.meta.url));
const example = join(repo, 'connectors/connector-example');
const http = join(repo, 'connectors/connector-http');
/** @type {{ name: string, method: string, path: string, body?: string }[]} */
const scenarios = [
  { name: 'listing', method: 'GET', path: '/v1/commands' },
  {
    name: 'example',
    method: 'POST',
    path: '/v1/do/example/Example',
    body: JSON.stringify({ message: 'Hello from the benchmark' }),
  },
];

if (spawnSync('valgrind', ['--version'], { stdio: 'ignore' }).error) {
  console.log('bench/instructions.js needs valgrind (apt-get install valgrind); nothing measured');
  process.exit(0);
}

const dir = values.keep ?? mkdtempSync(join(tmpdir(), 'bench-instructions-'));
if (values.keep) mkdirSync(dir, { recursive: true });
try {
  // The bare server is given the proxy's exact answers, as in run.js.
  const plain = await startChild('proxy.js', { args: ['off', example] });
  const routes = [];
  for (const s of scenarios) {
    const answer = await capture(`http://127.0.0.1:${plain.port}`, s);
    if (answer.status !== 200) throw new Error(`${s.method} ${s.path} answered ${answer.status}`);
    routes.push({
      method: s.method,
      path: s.path,
      status: answer.status,
      headers: answer.headers.filter(([name]) => !AUTOMATIC_HEADERS.has(name.toLowerCase())),
      body: answer.body.toString('base64'),
    });
  }
  await stopAll();

  // The http scenario's upstream runs throughout, outside valgrind.
  const upstream = await startChild('upstream.js', {});
  const forward = { name: 'http', method: 'POST', path: '/v1/do/http/GetRequestV2' };
  scenarios.push({ ...forward, body: JSON.stringify({ url: `http://127.0.0.1:${upstream.port}/data` }) });
  const allSides = [
    { name: 'bare', script: 'bare.js', args: [], message: { routes, forward: [forward] } },
    { name: 'text', script: 'proxy.js', args: ['text', example, http] },
    { name: 'json', script: 'proxy.js', args: ['json', example, http] },
    { name: 'off', script: 'proxy.js', args: ['off', example, http] },
  ];
  const sides = allSides.filter((side) => wanted.has(side.name));
  console.log(
    `instructions per request on the main thread (callgrind), ${requests} requests after ${warmup} of warm-up, ${connections} connections`,
  );
  /** @type {Record<string, Record<string, number>>} */
  const counts = {};
  for (const side of sides) {
    counts[side.name] = await countSide(side);
    console.log(
      `  ${side.name}: ${scenarios
        .filter((s) => only.has(s.name))
        .map((s) => `${s.name} ${thousands(counts[side.name]?.[s.name])}`)
        .join(', ')}`,
    );
  }
  const rows = [];
  for (const s of scenarios.filter((each) => only.has(each.name))) {
    const bare = counts.bare?.[s.name] ?? Number.NaN;
    const off = counts.off?.[s.name] ?? Number.NaN;
    for (const log of ['text', 'json', 'off']) {
      const ours = counts[log]?.[s.name] ?? Number.NaN;
      rows.push([
        s.name,
        log,
        thousands(ours),
        thousands(bare),
        (bare / ours).toFixed(2),
        log === 'off' ? '' : `${Math.round(ours - off)}`,
      ]);
    }
  }
  console.log('');
  printAligned(['scenario', 'log', 'proxy', 'bare', 'ratio', 'log costs'], rows);
  console.log('\nratio = bare instructions per request / proxy instructions per request; log costs = log on - log off');
} finally {
  await stopAll();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}

/** @param {number | undefined} n */
function thousands(n) {
  return n === undefined || Number.isNaN(n) ? '-' : `${(n / 1000).toFixed(1)}k`;
}

/**
 * Starts one server under callgrind with counting off, and counts each scenario's requests.
 * @param {{ name: string, script: string, args: string[], message?: object }} side
 * @returns {Promise<Record<string, number>>}
 */
async function countSide(side) {
  const out = join(dir, `${side.name}.out`);
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--separate-threads=yes',
      // V8 writes machine code into memory it then runs: valgrind must notice each rewrite.
      '--smc-check=all-non-file',
      `--callgrind-out-file=${out}`,
      process.execPath,
      // A new space of one fixed size on every side: V8 otherwise grows it from 1 MB as it sees
      // fit, so the number of scavenges in 4,000 requests (each some 500,000 instructions of
      // roots to visit) moved from 6 to 24 between runs of the same build. Fixed, they follow what
      // a request allocates, which is what a comparison of two builds should see.
      '--min-semi-space-size=4',
      '--max-semi-space-size=4',
      ...(values['perf-map'] ? ['--perf-basic-prof'] : []),
      fileURLToPath(new URL(side.script, import.meta.url)),
      ...side.args,
    ],
    { cwd: repo, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  try {
    if (side.message) child.send(side.message);
    const port = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${side.name} did not start under valgrind:\n${stderr}`)),
        120_000,
      );
      child.once('exit', (code) => reject(new Error(`${side.name} exited with ${code} under valgrind:\n${stderr}`)));
      child.on('message', (/** @type {any} */ m) => {
        if (m?.type === 'ready') {
          clearTimeout(timer);
          resolve(m.port);
        }
      });
    });
    /** @type {Record<string, number>} */
    const result = {};
    for (const s of scenarios.filter((each) => only.has(each.name))) {
      await load(/** @type {number} */ (port), s, warmup);
      control(child.pid, '--zero');
      control(child.pid, '--instr=on');
      await load(/** @type {number} */ (port), s, requests);
      control(child.pid, '--dump');
      control(child.pid, '--instr=off');
      result[s.name] = mainThreadInstructions(out) / requests;
    }
    return result;
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.connected) child.send({ type: 'stop' });
    setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
    await exited;
  }
}

/**
 * @param {number | undefined} pid
 * @param {string} command
 */
function control(pid, command) {
  const done = spawnSync('callgrind_control', [command, String(pid)], { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`callgrind_control ${command} ${pid} failed: ${done.stderr}`);
}

/** The event count of the newest dump of thread 1 (`<out>.<n>-01`). @param {string} out */
function mainThreadInstructions(out) {
  const base = out.slice(dir.length + 1);
  const dumps = readdirSync(dir)
    .map((name) => /^(.+)\.(\d+)-01$/.exec(name))
    .filter((m) => m !== null && m[1] === base)
    .sort((a, b) => Number(b?.[2]) - Number(a?.[2]));
  const newest = dumps[0]?.[0];
  if (!newest) throw new Error(`no callgrind dump of thread 1 in ${dir}`);
  const text = readFileSync(join(dir, newest), 'utf8');
  const match = /^(?:summary|totals): (\d+)/m.exec(text);
  if (!match) throw new Error(`no totals in ${newest}`);
  return Number(match[1]);
}

/**
 * Sends exactly `count` requests over `connections` keep-alive connections; throws on any non-200.
 * @param {number} port
 * @param {{ method: string, path: string, body?: string }} s
 * @param {number} count
 */
function load(port, s, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const headers = s.body === undefined ? {} : { 'content-type': 'application/json' };
  let sent = 0;
  let answered = 0;
  return new Promise((resolve, reject) => {
    const next = () => {
      if (sent >= count) return;
      sent += 1;
      const req = request({ host: '127.0.0.1', port, path: s.path, method: s.method, agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) return reject(new Error(`${s.method} ${s.path} answered ${res.statusCode}`));
          answered += 1;
          if (answered === count) resolve(undefined);
          else next();
        });
      });
      req.on('error', reject);
      req.end(s.body);
    };
    for (let i = 0; i < Math.min(connections, count); i += 1) next();
  }).finally(() => agent.destroy());
}
