import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execForm, type Instruction, readStages } from './dockerfile.js';
import { BUILD_STEPS, RUNTIME_PATHS, SERVE_COMMAND } from './production-steps.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stages = readStages(join(repo, 'Dockerfile'));
const [build = [], runtime = []] = stages;

const args = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

test('the Dockerfile has a build stage and a slim runtime stage', () => {
  assert.equal(stages.length, 2);
  assert.match(args(build, 'FROM')[0] ?? '', /^node:\S+ AS build$/);
  assert.match(args(runtime, 'FROM')[0] ?? '', /^node:\S+-slim$/);
});

test("the build stage's RUN steps are exactly the production-install test's commands", () => {
  assert.deepEqual(args(build, 'RUN'), BUILD_STEPS);
  assert.deepEqual(args(build, 'COPY'), ['. .'], 'the whole build context, as the test copies the checkout');
});

test('the runtime stage copies exactly what the production-install test serves from, and runs nothing', () => {
  assert.deepEqual(
    args(runtime, 'COPY'),
    RUNTIME_PATHS.map((path) => `--from=build /app/${path} ./${path}`),
  );
  assert.equal(args(build, 'WORKDIR')[0], '/app');
  assert.equal(args(runtime, 'WORKDIR')[0], '/app');
  assert.deepEqual(args(runtime, 'RUN'), []);
});

test('the runtime stage serves with node as PID 1 (exec form), as a non-root user, on 0.0.0.0:7004', () => {
  const cmd = args(runtime, 'CMD');
  assert.equal(cmd.length, 1);
  assert.deepEqual(execForm(cmd[0] ?? ''), SERVE_COMMAND, 'exec form: no shell between node and SIGTERM');
  assert.deepEqual(args(runtime, 'ENTRYPOINT'), []);
  const user = args(runtime, 'USER');
  assert.equal(user.length, 1);
  assert.ok(!['root', '0'].includes(user[0] ?? ''), `runs as ${user[0]}`);
  const env = args(runtime, 'ENV').join(' ');
  assert.match(env, /(^| )CONNECTOR_PROXY_HOST=0\.0\.0\.0( |$)/);
  assert.match(env, /(^| )CONNECTOR_PROXY_PORT=7004( |$)/);
  assert.deepEqual(args(runtime, 'EXPOSE'), ['7004']);
});

test('the health check asks /liveness with node itself, in exec form', () => {
  const [healthcheck = ''] = args(runtime, 'HEALTHCHECK');
  const command = execForm(healthcheck.slice(healthcheck.indexOf('CMD')));
  assert.ok(command, 'exec form');
  assert.equal(command[0], 'node');
  assert.match(command.join(' '), /\/liveness/);
  // The production-install test runs this command against the proxy it starts.
});

test('npm run serve is the same command as the image runs', () => {
  const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  assert.equal(manifest.scripts.serve, SERVE_COMMAND.join(' '));
});

test('.dockerignore leaves out what git leaves out, so the build context is the checkout the test copies', () => {
  const ignored = readFileSync(join(repo, '.dockerignore'), 'utf8').split('\n');
  assert.ok(ignored.includes('.git'));
  for (const entry of readFileSync(join(repo, '.gitignore'), 'utf8').split('\n')) {
    const pattern = entry.trim().replace(/\/$/, '');
    if (pattern === '') continue;
    assert.ok(ignored.includes(`**/${pattern}`), `.dockerignore lacks **/${pattern} (in .gitignore)`);
  }
});
