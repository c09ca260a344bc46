// The parent's side of the two server processes: start them, stop them (by their own PIDs),
// and fetch one answer byte for byte so the bare server can be given the proxy's exact bytes.
import { fork } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Headers Node's http server writes by itself; everything else is copied from the proxy's answer. */
export const AUTOMATIC_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/**
 * Forks a server script and waits for it to report its port.
 * @param {string} script
 * @param {{ execArgv?: string[], message?: import('node:child_process').Serializable }} options
 * @returns {Promise<{ child: import('node:child_process').ChildProcess, port: number, info: any }>}
 */
export function startChild(script, { execArgv = [], message }) {
  const child = fork(new URL(script, import.meta.url), [], {
    cwd: repo,
    execArgv: ['--expose-gc', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
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
      resolve({ child, port: ready.port, info: ready });
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

/** Asks every child to stop (so profiles get written), then kills any still running after 5 s. */
export async function stopAll() {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise((resolve) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            resolve(undefined);
          }, 5_000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
          if (child.connected) child.send({ type: 'stop' });
          else child.kill('SIGTERM');
        }),
    ),
  );
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
