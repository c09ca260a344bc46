// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, as
// a share of the time the process was busy. Usage: node bench/profile.js FILE [COUNT]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Names that are not work done by the process: idle time and the profiler's own bookkeeping. */
const NOT_BUSY = new Set(['(idle)', '(program)']);

/**
 * The lines of a summary of one profile: busy time, then the top functions by self time.
 * @param {string} file
 * @param {number} [count]
 * @returns {string[]}
 */
export function summarizeProfile(file, count = 20) {
  /** @type {{ nodes: { id: number, callFrame: { functionName: string, url: string, lineNumber: number } }[], samples: number[], timeDeltas: number[] }} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<number, number>} */
  const timeById = new Map();
  profile.samples.forEach((id, i) => {
    timeById.set(id, (timeById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  /** @type {Map<string, number>} */
  const self = new Map();
  let total = 0;
  let busy = 0;
  for (const node of profile.nodes) {
    const time = timeById.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    total += time;
    if (NOT_BUSY.has(name)) continue;
    busy += time;
    const where = url ? ` ${shorten(url)}:${lineNumber + 1}` : '';
    self.set(`${name}${where}`, (self.get(`${name}${where}`) ?? 0) + time);
  }
  const lines = [
    `busy ${((100 * busy) / total).toFixed(0)}% of ${(total / 1e6).toFixed(1)} s; self time as % of busy:`,
  ];
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, count);
  for (const [name, time] of top) lines.push(`${((100 * time) / busy).toFixed(1).padStart(6)}%  ${name}`);
  return lines;
}

/** @param {string} url */
function shorten(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const repo = fileURLToPath(new URL('..', import.meta.url));
  return url.replace(/^file:\/\//, '').replace(repo, '');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, count] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: node bench/profile.js FILE.cpuprofile [COUNT]');
    process.exitCode = 2;
  } else {
    for (const line of summarizeProfile(file, count === undefined ? 20 : Number(count))) console.log(line);
  }
}
