import assert from 'node:assert/strict';
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { createDemoHost } from './demo.js';
import { REPO, removeTemps } from './fixtures.js';

after(removeTemps);

// The launcher runs the sources through tsx whatever the working folder; workers run it too.
const BIN = join(REPO, 'packages/cli/bin/connector-proxy.js');

/** The real CLI in its own process (node:cluster forks the running program, so no in-process io here). */
function startCli(env: Record<string, string>): {
  proc: ChildProcessByStdio<null, Readable, Readable>;
  out: () => string;
} {
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd: createDemoHost(),
    env: { ...process.env, CONNECTOR_PROXY_LOG_FORMAT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.on('data', (chunk) => {
    out += chunk;
  });
  proc.stderr.on('data', (chunk) => {
    out += chunk;
  });
  return { proc, out: () => out };
}

async function waitFor(out: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const matches = [...out().matchAll(new RegExp(pattern, 'g'))];
    if (matches.length > 0) return matches;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${out()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function echo(url: string, n: number): Promise<number> {
  const res = await fetch(`${url}/v1/do/demo/Echo`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: `hi ${n}` }),
  });
  await res.arrayBuffer();
  return res.status;
}

test('two workers share one port; a killed worker is replaced while the other keeps answering; SIGTERM stops all', async () => {
  const { proc, out } = startCli({ CONNECTOR_PROXY_WORKERS: '2' });
  try {
    await waitFor(out, /primary \d+ starting 2 workers/);
    const listening = async () => (await waitFor(out, /worker (\d+) listening/)).map((m) => Number(m[1]));
    let workers = await listening();
    for (const deadline = Date.now() + 20_000; workers.length < 2 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      workers = await listening();
    }
    assert.equal(workers.length, 2, out());
    const [url = ''] = (await waitFor(out, /listening on (http:\/\/127\.0\.0\.1:\d+)/)).map((m) => m[1] ?? '');
    const urls = new Set((await waitFor(out, /listening on (http:\/\/\S+)/)).map((m) => m[1]));
    assert.equal(urls.size, 1, 'both workers on the same port');

    const [victim = 0, survivor = 0] = workers;
    process.kill(victim, 'SIGKILL');
    // Requests go on being answered while the victim is gone and being replaced.
    let answered = 0;
    for (let n = 0; n < 50; n += 1) {
      assert.equal(await echo(url, n), 200);
      answered += 1;
    }
    assert.equal(answered, 50);
    await waitFor(out, new RegExp(`worker ${victim} exited \\(signal SIGKILL\\); starting another`));
    let all: number[] = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      all = await listening();
      if (all.length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const replacement = all.find((pid) => pid !== victim && pid !== survivor);
    assert.ok(replacement !== undefined, `a new worker listens:\n${out()}`);
    assert.ok(isAlive(replacement) && isAlive(survivor));
    assert.equal(await echo(url, 99), 200);

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.kill('SIGTERM');
    assert.equal(await exited, 0, out());
    assert.ok(!isAlive(survivor) && !isAlive(replacement), 'every worker stopped with the primary');
    await assert.rejects(fetch(`${url}/liveness`), 'the port is closed');
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  }
});

test('workers that cannot start stop the primary with exit code 1 instead of restarting forever', async () => {
  const { proc, out } = startCli({
    CONNECTOR_PROXY_WORKERS: '2',
    CONNECTOR_PROXY_CONNECTORS: 'connector-that-does-not-exist',
  });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
  assert.equal(code, 1, out());
  assert.match(out(), /exited \(code 1\) before serving; stopping/);
});
