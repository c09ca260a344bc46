import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../src/main.js';
import { createDemoHost } from './demo.js';
import { createFakeIo, type FakeIo } from './fake-io.js';
import { makeTemp, removeTemps } from './fixtures.js';

const KEY = 'demo-proxy-key';
let proxy: FakeIo;
let exit: Promise<number>;
let url = '';

before(async () => {
  proxy = createFakeIo({ cwd: createDemoHost(), env: { CONNECTOR_PROXY_API_KEY: KEY } });
  exit = main(['serve', '--port', '0'], proxy);
  [, url = ''] = await proxy.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
});

after(async () => {
  proxy.stop();
  assert.equal(await exit, 0);
  removeTemps();
});

test('conformance against `serve` with its API key: one line per check, the summary, exit 0', async () => {
  const io = createFakeIo({ cwd: makeTemp() });
  assert.equal(await main(['conformance', url, '--api-key', KEY], io), 0, io.out() + io.err());
  const lines = io.out().trimEnd().split('\n');
  const summary = lines.at(-2) ?? '';
  assert.match(summary, /^\d+ passed, 0 failed$/);
  assert.match(lines.at(-1) ?? '', /^0 warnings, \d+ skipped$/);
  for (const line of lines.slice(0, -2)) assert.match(line, /^(PASS|SKIP) \S+: /);
  assert.ok(
    lines.includes(
      'PASS api-key.missing: without the key: 3 requests answered 401 {"error": ...} -> backend: raises BPMN error ServiceTaskOperatorReturnedBadStatusError (status 401, not retried)',
    ),
  );
  assert.ok(!io.out().includes(KEY), 'the API key is never printed');
  assert.equal(io.err(), '');
});

test('without the API key the listing fails, and the exit code is 1', async () => {
  const io = createFakeIo({ cwd: makeTemp() });
  assert.equal(await main(['conformance', url], io), 1);
  assert.match(
    io.out(),
    /^FAIL commands: GET \/v1\/commands answers 401 application\/json: the proxy wants an API key, give it with --api-key/m,
  );
  assert.match(io.out(), /^\d+ passed, 1 failed$/m);
});

test('--json prints one document for CI', async () => {
  const io = createFakeIo({ cwd: makeTemp() });
  assert.equal(await main(['conformance', url, '--api-key', KEY, '--json'], io), 0);
  const report = JSON.parse(io.out());
  assert.equal(report.ok, true);
  assert.equal(report.baseUrl, url);
  assert.equal(report.summary.failed, 0);
  assert.ok(
    report.results.some((r: { id: string; status: string }) => r.id === 'do.unknown-command' && r.status === 'PASS'),
  );
});

test('--case runs the cases a user wrote, and --baseline expects the failures it lists', async () => {
  const dir = makeTemp();
  writeFileSync(
    join(dir, 'cases.json'),
    JSON.stringify([
      {
        name: 'echo',
        command: 'demo/Echo',
        params: { message: 'hi' },
        expect: { outcome: 'result', result: { body: { message: 'hi', count: 1 } } },
      },
      { name: 'fails on purpose', command: 'demo/Fail', expect: { outcome: 'error', errorCode: 'DemoFailed' } },
      { name: 'known wrong', command: 'demo/Echo', params: { message: 'hi' }, expect: { outcome: 'error' } },
    ]),
  );
  writeFileSync(join(dir, 'baseline.txt'), '# expected failures\ncase[known wrong]\n- liveness[/liveness]\n');
  const io = createFakeIo({ cwd: dir });
  assert.equal(
    await main(['conformance', url, '--api-key', KEY, '--case', 'cases.json', '--baseline', 'baseline.txt'], io),
    0,
    io.out(),
  );
  assert.match(
    io.out(),
    /^PASS case\[echo\]: demo\/Echo: as expected -> backend: stores \{body, mimetype, operator_identifier\}/m,
  );
  assert.match(
    io.out(),
    /^PASS case\[fails on purpose\]: .* -> backend: raises BPMN error DemoFailed \(status 502, retried if the task has retries\)$/m,
  );
  assert.match(
    io.out(),
    /^FAIL case\[known wrong\]: demo\/Echo: expected error, the backend sees result \(expected: in the baseline\)/m,
  );
  // A failed command's envelope carries body and mimetype, as the protocol's schema wants.
  assert.match(io.out(), /^PASS envelope\.shape/m);
  assert.match(
    io.out(),
    /^\d+ passed, 0 failed\n0 warnings, \d+ skipped, 1 expected \(baseline\)\nbaseline: liveness\[\/liveness\] passes now; remove it from the baseline\n$/m,
  );
});

test('--long-running starts a callback endpoint; a command answered at once fails the 202 check', async () => {
  const io = createFakeIo({ cwd: makeTemp() });
  const args = [
    'conformance',
    url,
    '--api-key',
    KEY,
    '--long-running',
    'demo/Echo',
    '--param',
    'message=hi',
    '--command',
    'demo/Echo',
  ];
  assert.equal(await main(args, io), 1);
  assert.match(io.out(), /^FAIL long-running\.accepted: demo\/Echo: 200 success; expected 202 -> backend: stores/m);
});

test('mistakes in how it is called are one line and exit 2', async () => {
  const dir = makeTemp();
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ command: 'demo/Echo', expect: { outcome: 'maybe' } }));
  const cases: [string[], RegExp][] = [
    [['conformance'], /which proxy\?/],
    [['conformance', 'localhost:7004'], /must start with http:\/\/ or https:\/\//],
    [['conformance', url, '--param', 'a=b'], /--param goes with --long-running/],
    [['conformance', url, '--case', 'bad.json'], /bad\.json: "expect\.outcome" must be "result", "error" or "waiting"/],
    [['conformance', url, '--case', 'missing.json'], /--case: cannot read/],
    [['conformance', url, '--timeout', 'soon'], /--timeout must be a number/],
  ];
  for (const [argv, message] of cases) {
    const io = createFakeIo({ cwd: dir });
    assert.equal(await main(argv, io), 2, argv.join(' '));
    assert.match(io.err(), message);
    assert.equal(io.err().trimEnd().split('\n').length, 1);
  }
});
