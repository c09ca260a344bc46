import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { onFirstUse } from '@connector-proxy/core';

const dir = mkdtempSync(join(tmpdir(), 'first-use-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const require = createRequire(join(dir, 'connector.js'));
const counter = globalThis as { firstUseLoads?: number };

/** A CommonJS module that counts its evaluations and exports `value`, or throws while it loads. */
function writeModule(name: string, body: string): string {
  writeFileSync(join(dir, name), `globalThis.firstUseLoads = (globalThis.firstUseLoads ?? 0) + 1;\n${body}\n`);
  return `./${name}`;
}

test('a library is found when asked for, loaded only on the first call, and the same after', () => {
  const specifier = writeModule('lib.cjs', 'module.exports = { value: 42 };');
  counter.firstUseLoads = 0;
  const lib = onFirstUse<{ value: number }>(require, specifier);
  assert.equal(counter.firstUseLoads, 0, 'not loaded before the first call');
  const first = lib();
  assert.equal(first.value, 42);
  assert.equal(lib(), first);
  assert.equal(counter.firstUseLoads, 1);
});

test('a library that is not installed fails at once, naming it', () => {
  assert.throws(() => onFirstUse(require, 'no-such-library-anywhere'), /no-such-library-anywhere/);
});

test('a library that throws while it loads fails the call that asked, as a plain exception, and the next call tries again', () => {
  const specifier = writeModule('broken.cjs', "throw new Error('broken install');");
  const lib = onFirstUse(require, specifier);
  assert.throws(() => lib(), /broken install/);
  assert.throws(() => lib(), /broken install/);
});
