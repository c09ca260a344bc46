// The parent's side of the server processes: start them, stop them (by their own PIDs), read
// their CPU time from the OS, and fetch one answer byte for byte so the bare server can be given
// the proxy's exact bytes.
import { execFileSync, fork } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Headers Node's http server writes by itself; everything else is copied from the proxy's answer. */
export const AUTOMATIC_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/**
 * A started server: its process, port and what it reported, and the lines it wrote to stdout
 * (the request log), counted as they are drained so that the log costs what it costs in production.
 * @typedef {{ child: import('node:child_process').ChildProcess, port: number, info: any, lines: () => number }} Started
 */

/**
 * Forks a server script with `args` and waits for it to report its port.
 * @param {string} script
 * @param {{ execArgv?: string[], args?: string[], message?: import('node:child_process').Serializable }} options
 * @returns {Promise<Started>}
 */
export function startChild(script, { execArgv = [], args = [], message }) {
  const child = fork(new URL(script, import.meta.url), args, {
    cwd: repo,
    execArgv: ['--expose-gc', ...execArgv],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let lines = 0;
  child.stdout?.on('data', (/** @type {Buffer} */ chunk) => {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (message !== undefined) child.send(message);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 15 s`)), 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with code ${code} before it was ready`));
    });
    child.once('message', (/** @type {any} */ ready) => {
      clearTimeout(timer);
      resolve({ child, port: ready.port, info: ready, lines: () => lines });
    });
  });
}

/**
 * A child's memory after a full garbage collection: resident set and live heap, in bytes.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<{ rss: number, heapUsed: number }>}
 */
export function memoryOf(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pid ${child.pid} did not report its memory`)), 5_000);
    /** @param {any} message */
    const onMessage = (message) => {
      if (message?.type !== 'memory') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve({ rss: message.rss, heapUsed: message.heapUsed });
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}

/**
 * Counts a process started elsewhere among the children that stopAll and killAll stop.
 * @param {import('node:child_process').ChildProcess} child
 */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

let ticksPerSecond = 0;

/**
 * CPU time (user + system, every thread) a process has used so far, in microseconds, from /proc;
 * elsewhere undefined (the caller asks the child instead). The sum of each thread's
 * `schedstat` (the scheduler's own count, in nanoseconds) where it can be read, else
 * utime + stime of `/proc/<pid>/stat`, in clock ticks (10 ms): over a round of 1 s, a tick is
 * a percent of the figure. The kernel derives utime + stime from the same runtime, so both
 * read the same quantity; a thread that ends takes its schedstat with it, and a server's
 * threads (libuv's pool, V8's helpers) live as long as it does.
 * @param {number} pid
 * @returns {number | undefined}
 */
export function cpuMicros(pid) {
  const fine = schedMicros(pid);
  if (fine !== undefined) return fine;
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  if (ticksPerSecond === 0) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  // The fields after the command name, which is in parentheses and may hold spaces: state is [0],
  // utime [11], stime [12].
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / ticksPerSecond;
}

/** @param {number} pid @returns {number | undefined} */
function schedMicros(pid) {
  let tasks;
  try {
    // Without the process's own schedstat (a kernel built without it), ticks it is, every time.
    readFileSync(`/proc/${pid}/schedstat`, 'utf8');
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let nanos = 0;
  for (const task of tasks) {
    try {
      nanos += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]) || 0;
    } catch {
      // The thread ended since the listing.
    }
  }
  return nanos / 1000;
}

/**
 * The live child processes of `pid` (cluster workers), from /proc; empty where it is unreadable.
 * @param {number} pid
 * @returns {number[]}
 */
export function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * CPU time of a child in microseconds: from the OS where it can be read, else as the child
 * reports it (process.cpuUsage() over IPC).
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<number>}
 */
export async function cpuOf(child) {
  const fromOs = child.pid === undefined ? undefined : cpuMicros(child.pid);
  if (fromOs !== undefined) return fromOs;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pid ${child.pid} did not report its CPU time`)), 5_000);
    /** @param {any} message */
    const onMessage = (message) => {
      if (message?.type !== 'cpu') return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message.micros);
    };
    child.on('message', onMessage);
    child.send({ type: 'cpu' });
  });
}

/** Asks every child to stop (so profiles get written), then kills any still running after 5 s. */
export async function stopAll() {
  await Promise.all([...children].map(stopChild));
}

/**
 * Asks one child to stop (so its profile gets written) and waits for it to exit; kills it after 5 s.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<void>}
 */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
  });
}

/** Kills every child at once; for the process's exit, when nothing can be awaited. */
export function killAll() {
  for (const child of children) child.kill('SIGKILL');
}

/**
 * One request, kept byte for byte: status, raw headers in order, body.
 * @param {string} base
 * @param {{ method: string, path: string, body?: string }} s
 * @returns {Promise<{ status: number, headers: [string, string][], body: Buffer }>}
 */
export function capture(base, s) {
  return new Promise((resolve, reject) => {
    const req = request(base + s.path, {
      method: s.method,
      headers: s.body !== undefined ? { 'content-type': 'application/json' } : {},
      timeout: 5_000,
    });
    req.on('timeout', () => req.destroy(new Error(`${s.method} ${base}${s.path} timed out`)));
    req.on('error', reject);
    req.on('response', (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        /** @type {[string, string][]} */
        const headers = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          headers.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
        }
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
    });
    req.end(s.body);
  });
}

/** The raw headers as written, except the date, which differs from second to second. */
export function headerText(/** @type {{ headers: [string, string][] }} */ answer) {
  return answer.headers
    .filter(([name]) => name.toLowerCase() !== 'date')
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}
