import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: the bench is plain JavaScript (checked by its JSDoc), without declarations.
import { median, medianInterval } from '../bench/report.js';

const interval = medianInterval as (values: number[]) => { low: number; high: number } | undefined;

test("the log cost's interval is the sign test's: the published order statistics for 95%", () => {
  // n: the k-th smallest and k-th largest (Conover, Practical Nonparametric Statistics, table A3).
  const expected: [number, number][] = [
    [6, 1],
    [8, 1],
    [9, 2],
    [10, 2],
    [12, 3],
    [15, 4],
    [20, 6],
    [30, 10],
  ];
  for (const [n, k] of expected) {
    const sorted = Array.from({ length: n }, (_, i) => i + 1);
    // Shuffled: the interval must not depend on the order of the rounds.
    const values = [...sorted].sort((a, b) => ((a * 7919) % n) - ((b * 7919) % n));
    assert.deepEqual(interval(values), { low: k, high: n + 1 - k }, `n = ${n}`);
  }
  assert.equal(interval([1, 2, 3, 4, 5]), undefined, 'five rounds cannot give a 95% interval');
});

test('a round that measured nothing is left out of the interval, and the median lies inside it', () => {
  const differences = [3.1, -2.0, 5.5, Number.NaN, 1.2, 0.4, 2.2, 9.8, -0.7, 1.9, 2.6];
  const found = interval(differences);
  assert.deepEqual(found, { low: -0.7, high: 5.5 });
  const m = median(differences.filter((d) => !Number.isNaN(d)));
  assert.ok(found && found.low <= m && m <= found.high);
});
