import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runConformance, startCallbackEndpoint } from '@connector-proxy/conformance';

// The conformance kit against the proxy `npm start` runs (the built CLI's `serve`), open and with
// an API key. `npm test` builds first (`npm run check` runs `tsc -b`).
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(repo, 'packages/cli/dist/bin.js');
const run = promisify(execFile);

interface Served {
  url: string;
  stop(): Promise<void>;
}

/** Starts `node packages/cli/dist/bin.js serve --port 0` and waits for its URL. */
async function serve(env: Record<string, string> = {}): Promise<Served> {
  assert.ok(existsSync(bin), `${bin} is missing: run npm run build first`);
  const child: ChildProcess = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', '0'], {
    cwd: repo,
    env: { ...process.env, CONNECTOR_PROXY_LOG_FORMAT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let output = '';
  const url = await new Promise<string>((found, failed) => {
    const timer = setTimeout(() => failed(new Error(`serve did not start:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        found(match[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    void exited.then(() => failed(new Error(`serve exited:\n${output}`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    },
  };
}

/** Runs the built CLI's conformance verb; resolves with its exit code and output. */
async function conformance(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [bin, 'conformance', ...args], { cwd: repo });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

test('the conformance kit passes the npm start proxy, open (warning only that it is open)', async () => {
  const proxy = await serve();
  try {
    const { code, out } = await conformance([proxy.url]);
    assert.equal(code, 0, out);
    assert.match(out, /^\d+ passed, 0 failed$/m);
    assert.match(out, /^1 warning, \d+ skipped$/m);
    assert.match(out, /^WARN api-key: the proxy answers GET \/v1\/commands without an API key/m);
  } finally {
    await proxy.stop();
  }
});

test('the conformance kit passes the npm start proxy with an API key, with no warning', async () => {
  const key = `ci-key-${process.pid}`;
  const proxy = await serve({ CONNECTOR_PROXY_API_KEY: key });
  try {
    const { code, out } = await conformance([proxy.url, '--api-key', key]);
    assert.equal(code, 0, out);
    assert.match(out, /^\d+ passed, 0 failed\n0 warnings, \d+ skipped$/m);
    assert.match(out, /^PASS api-key\.wrong: /m);
    assert.ok(!out.includes(key), 'the key is never printed');
  } finally {
    await proxy.stop();
  }
});

test('the npm start proxy drives example/Wait through 202 and the callback, when it has one', async (t) => {
  const arenaKey = `arena-key-${process.pid}`;
  const endpoint = await startCallbackEndpoint({ apiKey: arenaKey });
  const data = mkdtempSync(join(tmpdir(), 'cp-conformance-'));
  const proxy = await serve({
    CONNECTOR_PROXY_CALLBACK_API_KEY: arenaKey,
    CONNECTOR_PROXY_CALLBACK_ORIGINS: endpoint.origin,
    CONNECTOR_PROXY_DATA_DIR: data,
  });
  try {
    const listing: unknown = await (await fetch(`${proxy.url}/v1/commands?detailed=true`)).json();
    const wait = Array.isArray(listing)
      ? listing.find((e) => typeof e === 'object' && e !== null && e.id === 'example/Wait')
      : undefined;
    if (!wait) {
      t.skip('the listing has no example/Wait (long-running commands are not built yet)');
      return;
    }
    const results = await runConformance({
      baseUrl: proxy.url,
      callback: endpoint,
      longRunning: { command: 'example/Wait', params: { seconds: 1 } },
      commands: ['example/Wait'],
      callbackTimeoutMs: 30_000,
    });
    const status = (id: string) => results.results.find((r) => r.id === id);
    for (const id of ['long-running.accepted', 'long-running.callback', 'long-running.once']) {
      assert.equal(status(id)?.status, 'PASS', `${id}: ${status(id)?.reason}`);
    }
    assert.equal(results.summary.failed, 0);
  } finally {
    await proxy.stop();
    await endpoint.close();
    rmSync(data, { recursive: true, force: true });
  }
});
