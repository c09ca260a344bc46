import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../src/main.js';
import { createFakeIo } from './fake-io.js';

const VERBS = ['serve', 'dev', 'list', 'run', 'new', 'conformance'];

test('--help at the top level lists every verb and exits 0', async () => {
  const io = createFakeIo({ cwd: process.cwd() });
  assert.equal(await main(['--help'], io), 0);
  for (const verb of VERBS) assert.match(io.out(), new RegExp(`^  ${verb} `, 'm'));
});

test('no verb prints the help and exits 1', async () => {
  const io = createFakeIo({ cwd: process.cwd() });
  assert.equal(await main([], io), 1);
  assert.match(io.out(), /^Usage: connector-proxy <verb>/);
});

test('--version prints the package version', async () => {
  const io = createFakeIo({ cwd: process.cwd() });
  assert.equal(await main(['--version'], io), 0);
  assert.match(io.out(), /^\d+\.\d+\.\d+\n$/);
});

for (const verb of VERBS) {
  test(`${verb} --help prints its usage and exits 0 without doing anything`, async () => {
    const io = createFakeIo({ cwd: '/nonexistent' });
    assert.equal(await main([verb, '--help'], io), 0);
    assert.match(io.out(), new RegExp(`^Usage: connector-proxy ${verb}`));
    assert.equal(io.err(), '');
  });

  test(`${verb} with an unknown flag gives one line on stderr and exits 2`, async () => {
    const io = createFakeIo({ cwd: '/nonexistent' });
    assert.equal(await main([verb, '--frobnicate'], io), 2);
    assert.equal(
      io.err(),
      `connector-proxy ${verb}: unknown option --frobnicate (see connector-proxy ${verb} --help)\n`,
    );
    assert.equal(io.out(), '');
  });
}

test('an unknown verb or top-level flag is one line naming the verbs, exit 2', async () => {
  const io = createFakeIo({ cwd: process.cwd() });
  assert.equal(await main(['deploy'], io), 2);
  assert.equal(await main(['--frobnicate'], io), 2);
  const lines = io.err().trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.match(
    lines[0] ?? '',
    /unknown verb "deploy" \(verbs: serve, dev, list, describe, run, new, openapi, jobs, conformance;/,
  );
  assert.match(lines[1] ?? '', /unknown option --frobnicate/);
});

test('an option missing its value is a usage error, exit 2', async () => {
  const io = createFakeIo({ cwd: process.cwd() });
  assert.equal(await main(['serve', '--port'], io), 2);
  assert.match(io.err(), /^connector-proxy serve: Option '--port <value>' argument missing/);
});

test('a bad environment value stops the verb with exit 1 and names the variable', async () => {
  const io = createFakeIo({ cwd: process.cwd(), env: { CONNECTOR_PROXY_API_KEY: ' ' } });
  assert.equal(await main(['list'], io), 1);
  assert.match(io.err(), /^connector-proxy list: CONNECTOR_PROXY_API_KEY is set but empty/);
});
