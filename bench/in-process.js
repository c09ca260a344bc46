// What the in-process harnesses (invoke.js, http-connector.js) share: their options, the CPU
// time per call of a side run `width` at a time, and rounds that rotate the sides so that none
// always runs first. Medians come from report.js, as in the server bench.
import { parseArgs } from 'node:util';
import { median } from './report.js';

/**
 * The options both harnesses take: --calls, --rounds, --concurrency, --only, --base.
 * @param {number} defaultCalls
 */
export function readLoopOptions(defaultCalls) {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: String(defaultCalls) },
      rounds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '32' },
      only: { type: 'string', default: '' },
      base: { type: 'string' },
    },
  });
  return {
    calls: Number(values.calls),
    rounds: Number(values.rounds),
    concurrency: Number(values.concurrency),
    only: values.only,
    base: values.base,
  };
}

/**
 * CPU microseconds per call of `count` calls, `width` at a time.
 * @param {() => Promise<unknown>} call
 * @param {number} count
 * @param {number} width
 */
export async function cpuPerCall(call, count, width) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await call();
    }
  };
  const start = process.cpuUsage();
  await Promise.all(Array.from({ length: width }, worker));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

/**
 * Warms every side up, then for each width runs `rounds` rounds of every side, rotated, and
 * calls `report` with the median CPU per call of each side.
 * @param {Record<string, () => Promise<unknown>>} sides
 * @param {string[]} names
 * @param {{ calls: number, rounds: number, warmup: number, widths: number[] }} plan
 * @param {(width: number, medians: Record<string, number>) => void} report
 */
export async function measureRotated(sides, names, plan, report) {
  // Warm-up: let V8 optimize every side before anything is counted.
  for (const name of names) await cpuPerCall(/** @type {any} */ (sides[name]), plan.warmup, plan.widths.at(-1) ?? 1);
  for (const width of plan.widths) {
    /** @type {Record<string, number[]>} */
    const figures = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < plan.rounds; round += 1) {
      for (let i = 0; i < names.length; i += 1) {
        const name = /** @type {string} */ (names[(i + round) % names.length]);
        figures[name]?.push(await cpuPerCall(/** @type {any} */ (sides[name]), plan.calls, width));
      }
    }
    report(width, Object.fromEntries(names.map((name) => [name, median(figures[name] ?? [])])));
  }
}
