// Figures and how they are printed: medians, the tables, and a loud line for a missed target.
import os from 'node:os';

/**
 * One line of the main table: medians of each side over the rounds, and the ratio of each round.
 * @typedef {object} Row
 * @property {string} scenario
 * @property {string} log             the proxy's request log setting
 * @property {number} proxyCpu        CPU microseconds per request
 * @property {number} bareCpu
 * @property {number} ratio           bare CPU / proxy CPU: 1 is as cheap as the bare server
 * @property {number[]} spread
 * @property {number[]} proxyRounds   the proxy's CPU microseconds per request in each round
 * @property {number} proxyRps
 * @property {number} bareRps
 * @property {number} proxyP99        ms
 * @property {number} bareP99
 * @property {number} linesPerRequest request log lines the proxy wrote per answer
 * @property {number | undefined} target
 */

/** Most the request log may add to a request's CPU time, in microseconds. */
export const LOG_COST_TARGET_US = 5;

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

/** @param {{ connections: number, rounds: number, duration: number, warmup: number, generator: string }} settings */
export function printHeader(settings) {
  const cpus = os.cpus();
  console.log('connector-proxy benchmark');
  console.log(
    `node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model ?? '?'})`,
  );
  console.log(
    `settings: ${settings.generator}, ${settings.connections} connections, ${settings.rounds} rounds of ` +
      `${settings.duration} s per server (order rotated each round), ${settings.warmup} s warm-up each; medians reported`,
  );
}

/**
 * Prints rows as an aligned table: first column left, the others right.
 * @param {string[]} header
 * @param {string[][]} lines
 */
export function printAligned(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (/** @type {string[]} */ cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
}

/** @param {number} us */
export const micros = (us) => `${us.toFixed(1)} us`;
/** @param {number} ms */
export const millis = (ms) => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;

/** @param {Row[]} rows */
export function printTable(rows) {
  const header = ['scenario', 'log', 'proxy CPU/req', 'bare CPU/req', 'ratio', 'target', 'proxy req/s', 'bare req/s'];
  header.push('proxy p99', 'bare p99', 'log lines/req', 'result');
  printAligned(
    header,
    rows.map((r) => [
      r.scenario,
      r.log,
      micros(r.proxyCpu),
      micros(r.bareCpu),
      r.ratio.toFixed(2),
      r.target === undefined ? '' : `>= ${r.target.toFixed(2)}`,
      Math.round(r.proxyRps).toString(),
      Math.round(r.bareRps).toString(),
      millis(r.proxyP99),
      millis(r.bareP99),
      r.linesPerRequest.toFixed(2),
      verdict(r),
    ]),
  );
  console.log('\nratio = bare CPU per request / proxy CPU per request (1.00: as cheap as the bare server)');
  for (const r of rows) {
    console.log(`ratio of each round, ${r.scenario}, log ${r.log}: ${r.spread.map((x) => x.toFixed(2)).join(' ')}`);
  }
  /** @type {string[]} */
  const below = rows
    .filter((r) => verdict(r) === 'BELOW')
    .map((r) => `${r.scenario} (log ${r.log}) at ${r.ratio.toFixed(2)} of bare, target ${r.target}`);
  for (const scenario of new Set(rows.map((r) => r.scenario))) {
    const off = rows.find((r) => r.scenario === scenario && r.log === 'off');
    for (const on of rows.filter((r) => r.scenario === scenario && r.log !== 'off')) {
      if (!off) continue;
      // The median of each round's difference: a round measures the two proxies a few seconds
      // apart, so drift on the machine between rounds cancels, where a difference of the two
      // medians carries it (medians that each move by tens of microseconds here).
      const cost = median(on.proxyRounds.map((cpu, i) => cpu - (off.proxyRounds[i] ?? Number.NaN)));
      const ok = cost <= LOG_COST_TARGET_US;
      console.log(
        `request log ${on.log} costs ${micros(cost)} per request in ${scenario} (median of the rounds' differences; of the medians ${micros(on.proxyCpu - off.proxyCpu)}; target <= ${LOG_COST_TARGET_US} us) ${ok ? 'PASS' : 'BELOW'}`,
      );
      if (!ok) below.push(`request log ${on.log} in ${scenario} costs ${micros(cost)}`);
    }
  }
  printBelow(below);
}

/** @param {Row} r */
function verdict(r) {
  if (r.target === undefined) return '';
  return r.ratio >= r.target ? 'PASS' : 'BELOW';
}

/**
 * A loud banner for missed targets; the exit code stays 0 (a report, not a test).
 * @param {string[]} below
 */
export function printBelow(below) {
  if (below.length === 0) {
    console.log('All targets met.');
    return;
  }
  const bar = '!'.repeat(72);
  console.log(`\n${bar}`);
  for (const line of below) console.log(`!! BELOW TARGET: ${line}`);
  console.log(`${bar}\n(a report, not a test: the exit code stays 0)`);
}

/** Heap growth allowed over the measured rounds; a leak of even 10 bytes a request exceeds it. */
export const HEAP_GROWTH_LIMIT_BYTES = 8 * 1024 * 1024;

/**
 * Prints a proxy's memory after the run (after a full GC) and whether its live heap grew over
 * the measured requests, which is how a per-request leak shows.
 * @param {string} name
 * @param {{ rss: number, heapUsed: number }} memory
 * @param {number} warmHeap
 * @param {number} requests
 */
export function printMemory(name, memory, warmHeap, requests) {
  const mb = (/** @type {number} */ bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  const growth = memory.heapUsed - warmHeap;
  const perRequest = requests > 0 ? (growth / requests).toFixed(2) : '?';
  const result = growth <= HEAP_GROWTH_LIMIT_BYTES ? 'PASS' : 'BELOW';
  console.log(
    `proxy (${name}) after a full GC: RSS ${mb(memory.rss)}, heap ${mb(memory.heapUsed)}, grown ${mb(growth)} ` +
      `since warm-up over ${requests} requests (${perRequest} bytes a request; limit ${mb(HEAP_GROWTH_LIMIT_BYTES)}) ${result}`,
  );
  if (result !== 'PASS') console.log("!! the proxy's heap grew over the run: look for a per-request leak");
}
