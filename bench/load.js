// The load generator, always in a process of its own so that its speed cannot cap the figures:
// wrk (the Debian package) when it is on the PATH, else autocannon in a child process.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('wrk.lua', import.meta.url));
const autocannonChild = fileURLToPath(new URL('autocannon.js', import.meta.url));

/**
 * One load: every answer is checked (status 200, and `expect` in the body when given).
 * @typedef {object} LoadSpec
 * @property {string} url
 * @property {'GET' | 'POST'} method
 * @property {string} [body]
 * @property {string} [expect]
 * @property {number} connections
 * @property {number} duration  seconds
 */

/**
 * What one load measured: answers counted by the generator, their rate and latency, and failures.
 * @typedef {object} LoadResult
 * @property {number} requests
 * @property {number} seconds
 * @property {number} rps
 * @property {number} p50Ms
 * @property {number} p99Ms
 * @property {number} failed  socket errors, timeouts, non-200 answers and answers without `expect`
 */

/** `wrk` when it runs here, else `autocannon`; `--generator` forces one. */
export function pickGenerator(/** @type {string | undefined} */ forced) {
  if (forced === 'autocannon') return 'autocannon';
  const found = spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
  if (forced === 'wrk' && !found) throw new Error('--generator wrk: wrk is not on the PATH (apt-get install wrk)');
  return found ? 'wrk' : 'autocannon';
}

/**
 * Runs one load with the chosen generator and returns its summary.
 * @param {'wrk' | 'autocannon'} generator
 * @param {LoadSpec} spec
 * @returns {Promise<LoadResult>}
 */
export function runLoad(generator, spec) {
  return generator === 'wrk' ? runWrk(spec) : runAutocannon(spec);
}

/** @param {LoadSpec} spec */
async function runWrk(spec) {
  // One thread: on a small machine the generator must leave the other cores to the servers.
  const args = ['-t1', `-c${spec.connections}`, `-d${spec.duration}s`, '--timeout', '10s', '-s', script, spec.url];
  const env = {
    ...process.env,
    BENCH_METHOD: spec.method,
    BENCH_BODY: spec.body ?? '',
    BENCH_EXPECT: spec.expect ?? '',
  };
  const out = await collect('wrk', args, env, spec.duration);
  const summary = JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
  const seconds = summary.duration_us / 1e6;
  const failed = summary.unexpected + summary.connect + summary.read + summary.write + summary.status + summary.timeout;
  return {
    requests: summary.requests,
    seconds,
    rps: summary.requests / seconds,
    p50Ms: summary.p50_us / 1000,
    p99Ms: summary.p99_us / 1000,
    failed,
  };
}

/** @param {LoadSpec} spec */
async function runAutocannon(spec) {
  const out = await collect(process.execPath, [autocannonChild, JSON.stringify(spec)], process.env, spec.duration);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
}

/**
 * Runs a generator to its end and returns its stdout; fails on a non-zero exit or a hang.
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @param {number} duration
 * @returns {Promise<string>}
 */
function collect(command, args, env, duration) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (duration + 30) * 1000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}: ${err || out}`));
    });
  });
}
