import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createLogWriter } from '../src/log-writer.js';

const child = fileURLToPath(new URL('./log-child.ts', import.meta.url));
const COUNT = 300;

/** Runs the child proxy to its end; its stdout is a pipe, as under a process supervisor. */
function runChild(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', child, mode, String(COUNT)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('error', reject);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function requestLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^POST \/v1\/do\/test\/Echo 200 [\d.]+ms$/.test(line));
}

test('every request log line is written when the server closes gracefully', async () => {
  const { code, stdout, stderr } = await runChild('close');
  assert.equal(code, 0, stderr);
  assert.equal(requestLines(stdout).length, COUNT);
  assert.equal(stdout, `${requestLines(stdout).join('\n')}\n`, 'whole lines only, nothing else');
});

test('every request log line is written when the process exits at once with process.exit', async () => {
  const { code, stdout, stderr } = await runChild('exit');
  assert.equal(code, 0, stderr);
  assert.equal(requestLines(stdout).length, COUNT);
});

test('every request log line is written before an uncaught exception ends the process', async () => {
  const { code, stdout, stderr } = await runChild('crash');
  assert.equal(code, 1);
  assert.match(stderr, /the proxy crashed on purpose/);
  assert.equal(requestLines(stdout).length, COUNT);
});

test('a line waits in the buffer for at most flushAfterMs, and close writes the rest', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-log-'));
  const file = join(dir, 'log.txt');
  const fd = openSync(file, 'w');
  try {
    const writer = createLogWriter({ fd, flushAfterMs: 50 });
    writer.write('first');
    assert.equal(readFileSync(file, 'utf8'), '', 'buffered, not written per line');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(readFileSync(file, 'utf8'), 'first\n', 'written once the quiet spell passed');
    // Enough lines for several batches, then one more that only close() writes.
    const many = Array.from({ length: 1000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    for (const line of many) writer.write(line);
    writer.write('last');
    writer.close();
    assert.equal(readFileSync(file, 'utf8'), ['first', ...many, 'last', ''].join('\n'));
    writer.write('after close');
    assert.match(readFileSync(file, 'utf8'), /last\nafter close\n$/, 'a late line is written at once');
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lines of any text are written as UTF-8, whole, in order, and a line longer than a batch goes alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cp-log-'));
  const file = join(dir, 'log.txt');
  const fd = openSync(file, 'w');
  try {
    const writer = createLogWriter({ fd });
    const lines = [
      'plain',
      'accents é à ü, CJK 漢字, emoji 😀',
      `long ${'é'.repeat(6_000)}`,
      ...Array.from({ length: 300 }, (_, i) => `${i} ${'☃'.repeat(i % 40)}`),
      `a lone surrogate \ud800 becomes U+FFFD`,
      `${'y'.repeat(1_500)}`,
      'last',
    ];
    for (const line of lines) writer.write(line);
    writer.close();
    const expected = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    assert.ok(readFileSync(file).equals(expected));
  } finally {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
});
