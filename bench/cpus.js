// CPU pinning for the side-by-side table: the server being measured runs on a core of its own,
// and everything that loads it (the load generator, the upstream, this process) on the others.
// Without it, on a small machine, the server shares its core with wrk from one moment to the
// next, and its CPU time per request moves by a third between rounds of the same code.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Which cores serve and which load, or undefined when pinning is not possible here (one core,
 * or no taskset).
 * @returns {{ servers: string, others: string, all: string } | undefined}
 */
export function planPinning() {
  const cores = availableParallelism();
  if (cores < 2) return undefined;
  if (spawnSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' }).status !== 0) return undefined;
  const last = cores - 1;
  return { servers: String(last), others: last === 1 ? '0' : `0-${last - 1}`, all: `0-${last}` };
}

/**
 * Binds every thread of a process to `cpus` (taskset's list syntax); threads it starts later
 * inherit the binding. Throws when taskset refuses.
 * @param {number | undefined} pid
 * @param {string} cpus
 */
export function pin(pid, cpus) {
  if (pid === undefined) throw new Error('cannot pin a process without a pid');
  const done = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`taskset -a -p -c ${cpus} ${pid} failed: ${done.stderr.trim()}`);
}
