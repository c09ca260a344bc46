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

/**
 * The request log's cost in one scenario: the proxy with the log on minus the proxy with it off,
 * CPU microseconds per request, in rounds that loaded both at the same moment on one core.
 * @typedef {{ scenario: string, log: string, differences: number[] }} LogCost
 */

/**
 * Prints the side-by-side table, each round's ratios, the request log's cost and every missed target.
 * @param {Row[]} rows
 * @param {LogCost[]} logCosts
 */
export function printTable(rows, logCosts) {
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
  for (const cost of logCosts) {
    const row = rows.find((r) => r.scenario === cost.scenario && r.log === cost.log);
    const off = rows.find((r) => r.scenario === cost.scenario && r.log === 'off');
    const value = median(cost.differences);
    const interval = medianInterval(cost.differences);
    const ok = value <= LOG_COST_TARGET_US;
    const range = interval ? `, 95% interval ${interval.low.toFixed(1)} to ${interval.high.toFixed(1)} us` : '';
    // The table's rounds measure the two proxies seconds apart, one after the other: context only.
    const apart =
      row && off
        ? `; one after the other, in the table's rounds: ${micros(median(row.proxyRounds.map((cpu, i) => cpu - (off.proxyRounds[i] ?? Number.NaN))))}`
        : '';
    console.log(
      `request log ${cost.log} costs ${micros(value)} per request in ${cost.scenario} (median of ${cost.differences.length} rounds with log on and off loaded at once${range}${apart}; target <= ${LOG_COST_TARGET_US} us) ${ok ? 'PASS' : 'BELOW'}`,
    );
    console.log(`  each round, log ${cost.log} minus off: ${cost.differences.map((d) => d.toFixed(1)).join(' ')} us`);
    if (!ok) below.push(`request log ${cost.log} in ${cost.scenario} costs ${micros(value)}${range}`);
  }
  printBelow(below);
}

/**
 * A distribution-free 95% confidence interval for the median of `values`: the k-th smallest and
 * k-th largest, for the largest k at which the median falls outside them with a chance of at most
 * 5% (a sign test: each value is above the median with a chance of one half). Undefined for fewer
 * than 6 values, too few for such an interval.
 * @param {number[]} values
 * @returns {{ low: number, high: number } | undefined}
 */
export function medianInterval(values) {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const n = sorted.length;
  // tail(k) = P(Binomial(n, 1/2) < k): the chance that fewer than k values fall below the median.
  let k = 0;
  let tail = 0;
  let term = 0.5 ** n;
  while (k < n / 2 && 2 * (tail + term) <= 0.05) {
    tail += term;
    term = (term * (n - k)) / (k + 1);
    k += 1;
  }
  if (k === 0) return undefined;
  return { low: sorted[k - 1] ?? Number.NaN, high: sorted[n - k] ?? Number.NaN };
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
