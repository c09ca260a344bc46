import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execForm, readStages } from './dockerfile.js';
import { BUILD_STEPS, RUNTIME_PATHS, SERVE_COMMAND } from './production-steps.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The environment of every child: ours, without what would make a child node think it runs under a test. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_TEST_CONTEXT;
  delete env.NODE_OPTIONS;
  return env;
}

/** The checkout as git sees it (tracked files and new ones not ignored), as a fresh clone would have it. */
function copyCheckout(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repo,
    encoding: 'utf8',
  });
  for (const file of files.split('\0').filter(Boolean)) {
    if (!existsSync(join(repo, file))) continue; // deleted in the working tree, not yet committed
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(repo, file), join(to, file));
  }
}

/** Starts `SERVE_COMMAND` and resolves with its URL once it listens. */
function serve(
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const [command = 'node', ...args] = SERVE_COMMAND;
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the proxy did not start:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        done({ child, url, output: () => output });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the proxy exited with ${code} before listening:\n${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
}

test('npm ci --omit=dev and the built dist serve every bundled connector with no TypeScript loader (as the image does)', {
  timeout: 300_000,
}, async (t) => {
  const started = performance.now();
  const work = mkdtempSync(join(tmpdir(), 'connector-proxy-production-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const checkout = join(work, 'build');
  const runtime = join(work, 'runtime');
  copyCheckout(checkout);

  for (const step of BUILD_STEPS) {
    const [command = 'npm', ...args] = step.split(' ');
    const run = spawnSync(command, args, { cwd: checkout, env: childEnv(), encoding: 'utf8' });
    const output = `${run.stdout}${run.stderr}`;
    if (run.status !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(output) && process.env.CI !== 'true') {
      t.skip(`SKIPPED LOUDLY: the npm registry is unreachable, so "${step}" cannot run: ${output.slice(-300)}`);
      return;
    }
    assert.equal(run.status, 0, `${step} failed:\n${output.slice(-3000)}`);
  }
  const built = performance.now();

  // The runtime stage of the image: only what it copies from the build stage.
  for (const path of RUNTIME_PATHS) {
    cpSync(join(checkout, path), join(runtime, path), { recursive: true, verbatimSymlinks: true });
  }
  for (const tool of ['tsx', 'esbuild', 'typescript', '@biomejs']) {
    assert.ok(!existsSync(join(runtime, 'node_modules', tool)), `${tool} is not in a production install`);
  }

  const expected = execFileSync(
    process.execPath,
    ['--conditions=development', '--import', 'tsx', join(repo, 'packages/cli/src/bin.ts'), 'list', '--json'],
    {
      cwd: repo,
      env: childEnv(),
      encoding: 'utf8',
    },
  );
  const dockerEnv = { NODE_ENV: 'production', CONNECTOR_PROXY_HOST: '127.0.0.1', CONNECTOR_PROXY_PORT: '0' };
  const proxy = await serve(runtime, childEnv(dockerEnv));
  t.after(() => proxy.child.kill('SIGKILL'));
  assert.match(proxy.url, /^http:\/\/127\.0\.0\.1:\d+$/);

  const listing = await fetch(`${proxy.url}/v1/commands`);
  assert.equal(listing.status, 200);
  assert.deepEqual(await listing.json(), JSON.parse(expected), 'the same listing as the checkout serves from sources');

  const run = await fetch(`${proxy.url}/v1/do/example/Example`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: 'from production' }),
  });
  assert.equal(run.status, 200);
  const envelope = JSON.parse(await run.text());
  assert.equal(envelope.error, null);
  assert.match(envelope.command_response.body.connector_response, /'from production'/);

  // node-postgres and nodemailer are loaded with a connector's first command, not at start-up, so
  // only a command shows that the production install has them: a refused connection must be the
  // database's or the mail server's error, not a module that cannot be found.
  const firstUse: [string, Record<string, unknown>, string][] = [
    [
      'postgres_v2/DoSQL',
      { database_connection_str: 'postgresql://proxy@127.0.0.1:1/none', schema: { sql: 'SELECT 1' } },
      'OperationalError',
    ],
    [
      'smtp/SendEmail',
      {
        smtp_host: '127.0.0.1',
        smtp_port: 1,
        email_subject: 's',
        email_body: 'b',
        email_to: 'to@example.com',
        email_from: 'from@example.com',
      },
      'ConnectionRefusedError',
    ],
  ];
  for (const [command, params, code] of firstUse) {
    const answer = await fetch(`${proxy.url}/v1/do/${command}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(params),
    });
    const text = await answer.text();
    assert.equal(JSON.parse(text).error?.error_code, code, `${command}: ${text}`);
  }

  // The image's HEALTHCHECK command, run as Docker would, against this proxy.
  const runtimeStage = readStages(join(repo, 'Dockerfile')).at(-1) ?? [];
  const healthcheck = runtimeStage.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
  const [probe = 'node', ...probeArgs] = execForm(healthcheck.slice(healthcheck.indexOf('CMD'))) ?? [];
  const port = new URL(proxy.url).port;
  const healthy = spawnSync(probe, probeArgs, { cwd: runtime, env: childEnv({ CONNECTOR_PROXY_PORT: port }) });
  assert.equal(healthy.status, 0, `the health check failed: ${healthy.stderr}`);

  proxy.child.kill('SIGTERM');
  const end = await exited(proxy.child);
  assert.deepEqual(end, { code: 0, signal: null }, `SIGTERM ends serve cleanly:\n${proxy.output()}`);
  assert.match(proxy.output(), /shutting down/);
  const unhealthy = spawnSync(probe, probeArgs, { cwd: runtime, env: childEnv({ CONNECTOR_PROXY_PORT: port }) });
  assert.equal(unhealthy.status, 1, 'the health check fails once the proxy is gone');

  // The bin, too, runs the build when the checkout has no tsx.
  const bin = spawnSync(process.execPath, ['packages/cli/bin/connector-proxy.js', 'list'], {
    cwd: runtime,
    env: childEnv(),
    encoding: 'utf8',
  });
  assert.equal(bin.status, 0, bin.stderr);
  assert.match(bin.stdout, /example\/Example/);

  // A TypeScript connector cannot be loaded without tsx: one clear line, exit 1.
  writeFileSync(join(runtime, 'mine.ts'), 'export default {};\n');
  const ts = spawnSync(process.execPath, ['packages/cli/dist/bin.js', 'list'], {
    cwd: runtime,
    env: childEnv({ CONNECTOR_PROXY_CONNECTORS: './mine.ts' }),
    encoding: 'utf8',
  });
  assert.equal(ts.status, 1);
  assert.match(
    ts.stderr,
    /^connector-proxy list: connector \S+mine\.ts is TypeScript and tsx, the TypeScript loader, is not installed/,
  );
  assert.equal(ts.stderr.trim().split('\n').length, 1, ts.stderr);

  // The Lambda handler of the same install: connectors from LAMBDA_TASK_ROOT, built entries.
  const event = readFileSync(join(repo, 'packages/server/test/fixtures/lambda/http-api-v2.json'), 'utf8');
  const invoke = `
      import { handler } from '@connector-proxy/server/lambda';
      import { createApp } from '@connector-proxy/server';
      const context = { getRemainingTimeInMillis: () => 30000 };
      const result = await handler(JSON.parse(process.env.EVENT), context);
      process.stdout.write(JSON.stringify({ result, createApp: typeof createApp }));
    `;
  const lambda = spawnSync(process.execPath, ['--input-type=module', '-e', invoke], {
    cwd: runtime,
    env: childEnv({ LAMBDA_TASK_ROOT: runtime, EVENT: event, CONNECTOR_PROXY_LOG_FORMAT: 'off' }),
    encoding: 'utf8',
  });
  assert.equal(lambda.status, 0, lambda.stderr);
  const { result, createApp } = JSON.parse(lambda.stdout);
  assert.equal(createApp, 'function');
  assert.equal(result.statusCode, 200);
  assert.match(JSON.parse(result.body).command_response.body.connector_response, /'hello'/);

  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  t.diagnostic(`build steps ${seconds(built - started)}, whole test ${seconds(performance.now() - started)}`);
});
