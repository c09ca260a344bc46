// Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, as
// a share of the time the process was busy. Usage: node bench/profile.js FILE [COUNT]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Names that are not work done by the process: idle time and the profiler's own bookkeeping. */
const NOT_BUSY = new Set(['(idle)', '(program)']);

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }} ProfileNode
 */

/**
 * The lines of a summary of one profile: busy time, the self time of each part of the program
 * (a native function, JSON.stringify say, counts for the JavaScript that called it), then the top
 * functions by self time.
 * @param {string} file
 * @param {number} [count]
 * @returns {string[]}
 */
export function summarizeProfile(file, count = 20) {
  /** @type {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} */
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  /** @type {Map<number, number>} */
  const timeById = new Map();
  profile.samples.forEach((id, i) => {
    timeById.set(id, (timeById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  /** @type {Map<number, ProfileNode>} */
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node);
  /** @type {Map<string, number>} */
  const self = new Map();
  /** @type {Map<string, number>} */
  const parts = new Map();
  let total = 0;
  let busy = 0;
  for (const node of profile.nodes) {
    const time = timeById.get(node.id) ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    total += time;
    if (NOT_BUSY.has(name) || time === 0) continue;
    busy += time;
    const where = url ? ` ${shorten(url)}:${lineNumber + 1}` : '';
    self.set(`${name}${where}`, (self.get(`${name}${where}`) ?? 0) + time);
    const part = partOf(node, parentOf);
    parts.set(part, (parts.get(part) ?? 0) + time);
  }
  const percent = (/** @type {number} */ time) => `${((100 * time) / busy).toFixed(1).padStart(6)}%`;
  const lines = [
    `busy ${((100 * busy) / total).toFixed(0)}% of ${(total / 1e6).toFixed(1)} s; self time as % of busy, by part:`,
  ];
  for (const [part, time] of [...parts].sort((a, b) => b[1] - a[1]).slice(0, 16))
    lines.push(`${percent(time)}  ${part}`);
  lines.push('top functions by self time:');
  for (const [name, time] of [...self].sort((a, b) => b[1] - a[1]).slice(0, count))
    lines.push(`${percent(time)}  ${name}`);
  return lines;
}

/**
 * The part of the program a sample belongs to: the package or Node module of its function, or of
 * the nearest caller that has one (natives such as JSON.stringify or writev have none).
 * @param {ProfileNode} node
 * @param {Map<number, ProfileNode>} parentOf
 */
function partOf(node, parentOf) {
  const { functionName } = node.callFrame;
  if (functionName === '(garbage collector)') return 'garbage collector';
  /** @type {ProfileNode | undefined} */
  let current = node;
  while (current && !current.callFrame.url) current = parentOf.get(current.id);
  const group = current ? groupOf(current.callFrame.url) : 'no JavaScript caller';
  return current === node ? group : `${group} (native: ${functionName || 'anonymous'})`;
}

/** @param {string} url */
function groupOf(url) {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first = '', second = ''] = url.slice(modules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (url.startsWith('node:')) {
    const [, area = url] = /^node:(?:internal\/)?([^/]+)/.exec(url) ?? [];
    return `node:${area}`;
  }
  const short = shorten(url);
  const ours = /^(packages|connectors)\/([^/]+)\/(?:src|dist)\/(.+)$/.exec(short);
  return ours ? `${ours[1] === 'packages' ? '@connector-proxy/' : ''}${ours[2]} ${ours[3]}` : short;
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
