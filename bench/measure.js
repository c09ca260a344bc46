// One measured load on one server: the server's CPU time read before and after, divided by the
// answers the generator counted, beside the generator's throughput and latency.
import { runLoad } from './load.js';
import { childPids, cpuMicros, cpuOf } from './servers.js';

/**
 * What one round on one server measured.
 * @typedef {object} Round
 * @property {number} cpuUs    CPU microseconds per answer, of the server's process(es)
 * @property {number} rps
 * @property {number} p99Ms
 * @property {number} requests
 * @property {number} logLines lines the server wrote to stdout during the round
 */

/**
 * A server to load: where it listens and how its CPU time is read.
 * @typedef {object} Target
 * @property {string} name
 * @property {string} url
 * @property {() => Promise<number>} cpu   CPU microseconds used so far
 * @property {() => number} lines          stdout lines written so far
 */

/**
 * A target for a forked child (its own process only).
 * @param {string} name
 * @param {import('./servers.js').Started} started
 * @returns {Target}
 */
export function childTarget(name, started) {
  return {
    name,
    url: `http://127.0.0.1:${started.port}`,
    cpu: () => cpuOf(started.child),
    lines: started.lines,
  };
}

/**
 * A target for a cluster: the primary and every live worker. A worker that exits during a round
 * takes its CPU time with it, so rounds are only meaningful while none does.
 * @param {string} name
 * @param {string} url
 * @param {number} pid
 * @param {() => number} lines
 * @returns {Target}
 */
export function clusterTarget(name, url, pid, lines) {
  return {
    name,
    url,
    cpu: async () => [pid, ...childPids(pid)].reduce((sum, p) => sum + (cpuMicros(p) ?? 0), 0),
    lines,
  };
}

/**
 * Runs one load on a target and measures it; throws when any answer failed.
 * @param {'wrk' | 'autocannon'} generator
 * @param {Target} target
 * @param {{ method: 'GET' | 'POST', path: string, body?: string, expect?: string }} request
 * @param {{ connections: number, duration: number }} load
 * @returns {Promise<Round>}
 */
export async function measure(generator, target, request, load) {
  const cpuBefore = await target.cpu();
  const linesBefore = target.lines();
  const result = await runLoad(generator, {
    url: target.url + request.path,
    method: request.method,
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(request.expect !== undefined ? { expect: request.expect } : {}),
    connections: load.connections,
    duration: load.duration,
  });
  const cpuAfter = await target.cpu();
  if (result.failed > 0 || result.requests === 0) {
    throw new Error(
      `${target.name} ${request.method} ${request.path}: ${result.failed} of ${result.requests} answers failed`,
    );
  }
  return {
    cpuUs: (cpuAfter - cpuBefore) / result.requests,
    rps: result.rps,
    p99Ms: result.p99Ms,
    requests: result.requests,
    logLines: target.lines() - linesBefore,
  };
}

/**
 * Loads several targets at the same moment, one generator each, and measures each one's CPU per
 * answer over the same interval. Used for differences between servers that share one core:
 * whatever slows that core (a neighbour on the host, its other hyperthread, the CPU's clock)
 * slows them all alike during the round, where rounds taken one after another catch it on one
 * side and not the other.
 * @param {'wrk' | 'autocannon'} generator
 * @param {Target[]} targets
 * @param {{ method: 'GET' | 'POST', path: string, body?: string, expect?: string }} request
 * @param {{ connections: number, duration: number }} load  connections per target
 * @returns {Promise<{ cpuUs: number, requests: number }[]>} in the order of `targets`
 */
export async function measureTogether(generator, targets, request, load) {
  const before = await Promise.all(targets.map((t) => t.cpu()));
  const results = await Promise.all(
    targets.map((t) =>
      runLoad(generator, {
        url: t.url + request.path,
        method: request.method,
        ...(request.body !== undefined ? { body: request.body } : {}),
        ...(request.expect !== undefined ? { expect: request.expect } : {}),
        connections: load.connections,
        duration: load.duration,
      }),
    ),
  );
  const after = await Promise.all(targets.map((t) => t.cpu()));
  return targets.map((t, i) => {
    const result = results[i];
    if (!result || result.failed > 0 || result.requests === 0) {
      throw new Error(
        `${t.name} ${request.method} ${request.path}: ${result?.failed} of ${result?.requests} answers failed`,
      );
    }
    return { cpuUs: ((after[i] ?? 0) - (before[i] ?? 0)) / result.requests, requests: result.requests };
  });
}
