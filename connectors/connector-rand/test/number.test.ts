import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoke, parseJson, startRegistry, toWireResponse } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import rand from '../src/index.js';
import { randomUpTo } from '../src/random.js';

const RandomNumber = rand.commands.get('Number');
if (!RandomNumber) throw new Error('connector-rand has no Number command');

test('rand/Number answers {"number": n} with 1 <= n <= max, status 200, as the Cloudflare worker does', async () => {
  const run = await runCommand(RandomNumber, { max: 6 });
  assert.equal(run.error, null);
  assert.equal(run.failure, null);
  assert.equal(run.envelope.command_response.http_status, 200);
  assert.equal(run.envelope.command_response.mimetype, 'application/json');
  assert.deepEqual(Object.keys(run.body as object), ['number']);
  const { number } = run.body as { number: number };
  assert.ok(Number.isInteger(number) && number >= 1 && number <= 6, `got ${number}`);
});

test('max 1 always gives 1, and every value of a small range comes out', async () => {
  for (let i = 0; i < 20; i += 1) {
    const run = await runCommand(RandomNumber, { max: 1 });
    assert.deepEqual(run.body, { number: 1 });
  }
  const seen = new Map<number, number>();
  for (let i = 0; i < 3000; i += 1) {
    const run = await runCommand(RandomNumber, { max: 3 });
    const { number } = run.body as { number: number };
    seen.set(number, (seen.get(number) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()].sort(), [1, 2, 3]);
  // 1000 expected each; 800 is more than 7 standard deviations away.
  for (const [value, count] of seen) assert.ok(count > 800, `${value} came out only ${count} times in 3000`);
});

test('max as integer text ("10") is read as a number, as core reads every int parameter', async () => {
  const run = await runCommand(RandomNumber, { max: '10' });
  assert.equal(run.error, null);
  const { number } = run.body as { number: number };
  assert.ok(number >= 1 && number <= 10);
});

test('max below 1 is InvalidParameters with status 400, never a number', async () => {
  for (const max of [0, -5]) {
    const run = await runCommand(RandomNumber, { max });
    assert.equal(run.error?.error_code, 'InvalidParameters');
    assert.match(run.error?.message ?? '', /max must be at least 1, got -?\d/);
    assert.equal(run.failure, 'invalid_parameters');
    assert.ok(run.body === null || run.body === undefined, 'no number on a refusal');
  }
});

test('a missing, fractional or non-numeric max is InvalidParameters', async () => {
  for (const params of [{}, { max: 1.5 }, { max: 'ten' }, { max: null }]) {
    const run = await runCommand(RandomNumber, params);
    assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(params));
    assert.match(run.error?.message ?? '', /max/);
  }
});

test('the largest safe integer works as max (beyond crypto.randomInt range of 2^48)', async () => {
  const run = await runCommand(RandomNumber, { max: Number.MAX_SAFE_INTEGER });
  assert.equal(run.error, null);
  const { number } = run.body as { number: number };
  assert.ok(Number.isSafeInteger(number) && number >= 1);
});

test('a max beyond 2^53 (an exact number) works, and the answer carries the number with every digit', async () => {
  const max = '123456789012345678901234567890';
  const registry = await startRegistry([rand], { env: {} });
  const target = registry.target('rand', 'Number');
  assert.ok(target);
  const body = `{"max": ${max}}`;
  const parsed = parseJson(body);
  assert.ok(parsed.ok);
  const wire = toWireResponse(await invoke(target, parsed.value));
  assert.equal(wire.status, 200);
  const text = wire.body ?? '';
  const digits = /"number":(\d+)/.exec(text)?.[1];
  assert.ok(digits, text);
  assert.ok(BigInt(digits) >= 1n && BigInt(digits) <= BigInt(max), digits);
  // Nearly every draw is far beyond what a double carries exactly.
  assert.ok(digits.length > 16, digits);
  await registry.close();
});

test('above 2^48 the draw stays in range and unbiased: about half the values of 1..2^48 are above 2^47', () => {
  const max = 2n ** 48n;
  let upper = 0;
  const draws = 4000;
  for (let i = 0; i < draws; i += 1) {
    const value = randomUpTo(max);
    assert.ok(value >= 1n && value <= max, `got ${value}`);
    if (value > max / 2n) upper += 1;
  }
  // 2000 expected; the bounds are 10 standard deviations wide.
  assert.ok(upper > 1680 && upper < 2320, `${upper} of ${draws} above 2^47`);
});

test('bounds of any size work, including a 100-digit one, and 2^48 - 1 still uses randomInt', () => {
  const huge = 10n ** 100n;
  for (let i = 0; i < 200; i += 1) {
    const value = randomUpTo(huge);
    assert.ok(value >= 1n && value <= huge);
  }
  const justBelow = 2n ** 48n - 1n;
  for (let i = 0; i < 200; i += 1) {
    const value = randomUpTo(justBelow);
    assert.ok(value >= 1n && value <= justBelow);
  }
  assert.equal(randomUpTo(1n), 1n);
  assert.throws(() => randomUpTo(0n), RangeError);
});
