// Figures and how they are printed: medians, the table, and a loud line for a missed target.
import os from 'node:os';

/**
 * One line of the table: medians of each side, their ratio, and the ratio of each round.
 * @typedef {object} Row
 * @property {string} scenario
 * @property {number} proxyRps
 * @property {number} bareRps
 * @property {number} ratio
 * @property {number[]} spread
 * @property {number} proxyP99
 * @property {number} bareP99
 * @property {number} target
 */

/** The 1, 5 and 15 minute load averages: other work on the machine skews the figures. */
export function loadAverage() {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** @param {{ connections: number, rounds: number, duration: number, warmup: number }} settings */
export function printHeader(settings) {
  const cpus = os.cpus();
  console.log('connector-proxy benchmark');
  console.log(
    `node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model ?? '?'})`,
  );
  console.log(
    `settings: ${settings.connections} connections, pipelining 1, ${settings.rounds} rounds of ${settings.duration} s ` +
      `per server (alternating proxy, bare), ${settings.warmup} s warm-up each; medians reported`,
  );
}

/** @param {Row[]} rows */
export function printTable(rows) {
  const header = ['scenario', 'proxy req/s', 'bare req/s', 'ratio', 'proxy p99', 'bare p99', 'target', 'result'];
  const lines = rows.map((r) => [
    r.scenario,
    Math.round(r.proxyRps).toString(),
    Math.round(r.bareRps).toString(),
    r.ratio.toFixed(2),
    `${r.proxyP99} ms`,
    `${r.bareP99} ms`,
    `>= ${r.target.toFixed(2)}`,
    r.ratio >= r.target ? 'PASS' : 'BELOW',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (/** @type {string[]} */ cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
  console.log('');
  for (const r of rows) {
    const spread = r.spread.map((x) => x.toFixed(2)).join(' ');
    console.log(`ratio of each round, ${r.scenario}: ${spread}`);
  }
  const below = rows.filter((r) => r.ratio < r.target);
  if (below.length === 0) {
    console.log('\nAll targets met.');
    return;
  }
  const bar = '!'.repeat(72);
  console.log(`\n${bar}`);
  for (const r of below) {
    console.log(`!! BELOW TARGET: ${r.scenario} runs at ${r.ratio.toFixed(2)} of the bare server (target ${r.target})`);
  }
  console.log(`${bar}\n(a report, not a test: the exit code stays 0)`);
}

/** Heap growth allowed over the measured rounds; a leak of even 10 bytes a request exceeds it. */
export const HEAP_GROWTH_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Prints both servers' memory after the run (after a full GC) and whether the proxy's live heap
 * grew over the measured requests, which is how a per-request leak shows.
 * @param {{ rss: number, heapUsed: number }} proxy
 * @param {{ rss: number, heapUsed: number }} bare
 * @param {number} warmHeap
 * @param {number} requests
 */
export function printMemory(proxy, bare, warmHeap, requests) {
  const mb = (/** @type {number} */ bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const growth = proxy.heapUsed - warmHeap;
  console.log(
    `\nmemory after the run, after a full GC: proxy RSS ${mb(proxy.rss)} (bare ${mb(bare.rss)}), ` +
      `proxy heap ${mb(proxy.heapUsed)} (bare ${mb(bare.heapUsed)})`,
  );
  const perRequest = requests > 0 ? (growth / requests).toFixed(2) : '?';
  const verdict = growth <= HEAP_GROWTH_LIMIT_BYTES ? 'PASS' : 'BELOW';
  console.log(
    `proxy heap growth since warm-up: ${mb(growth)} over ${requests} measured requests ` +
      `(${perRequest} bytes a request; limit ${mb(HEAP_GROWTH_LIMIT_BYTES)}) ${verdict}`,
  );
  if (verdict !== 'PASS') console.log("!! the proxy's heap grew over the run: look for a per-request leak");
}
