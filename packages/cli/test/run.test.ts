import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/main.js';
import { createDemoHost } from './demo.js';
import { createFakeIo } from './fake-io.js';
import { removeTemps } from './fixtures.js';

after(removeTemps);
const root = createDemoHost();

async function run(...args: string[]) {
  const io = createFakeIo({ cwd: root });
  const code = await main(['run', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

test('run prints a readable summary: ok, the body pretty-printed, the logs; exit 0', async () => {
  const { code, out, err } = await run('demo/Echo', '--param', 'message=hi there');
  assert.equal(code, 0);
  assert.equal(err, '');
  assert.equal(
    out,
    `ok demo/Echo
body (application/json):
  {
    "message": "hi there",
    "count": 1,
    "taskData": {}
  }
logs (1):
  echoing
`,
  );
});

test('run --json prints the raw version-2 envelope', async () => {
  const { code, out } = await run('demo/Echo', '--param', 'message=hi', '--json');
  assert.equal(code, 0);
  assert.deepEqual(JSON.parse(out), {
    command_response: { body: { message: 'hi', count: 1, taskData: {} }, mimetype: 'application/json' },
    error: null,
    command_response_version: 2,
    spiff__logs: ['echoing'],
  });
});

test('parameters come from --file, then --json OBJECT, then each --param, later ones winning', async () => {
  const file = join(root, 'params.json');
  writeFileSync(file, JSON.stringify({ message: 'from file', count: 5, loud: true }));
  const { code, out } = await run(
    'demo/Echo',
    '--file',
    'params.json',
    '--json',
    '{"message": "from json", "count": 7}',
    '--param',
    'count=9',
    '--param',
    'tags={"a":[1,2]}',
    '--task-data',
    '{"order": 42}',
  );
  assert.equal(code, 0);
  const envelope = JSON.parse(out);
  assert.deepEqual(envelope.command_response.body, {
    message: 'from json',
    count: 9,
    tags: { a: [1, 2] },
    loud: true,
    taskData: { order: 42 },
  });
});

test('a --param value stays text unless the parameter is "any"', async () => {
  const { out } = await run('demo/Echo', '--param', 'message=[1]', '--param', 'tags=not json', '--json');
  assert.deepEqual(JSON.parse(out).command_response.body, { message: '[1]', count: 1, tags: 'not json', taskData: {} });
});

test("a command's expected failure shows its code, message and http_status, exit 1", async () => {
  const { code, out } = await run('demo/Fail');
  assert.equal(code, 1);
  assert.equal(out, 'error demo/Fail (http_status 502)\n  DemoFailed: it failed on purpose\n');
  const raw = await run('demo/Fail', '--json');
  assert.equal(raw.code, 1);
  assert.deepEqual(JSON.parse(raw.out).error, { error_code: 'DemoFailed', message: 'it failed on purpose' });
});

test('missing or invalid parameters are reported as InvalidParameters, exit 1', async () => {
  const { code, out } = await run('demo/Echo', '--param', 'count=many');
  assert.equal(code, 1);
  assert.match(out, /InvalidParameters: invalid parameters: message is required; count must be an integer/);
});

test('a legacy version-1 answer is summarized with its status and body; --json prints the body as sent', async () => {
  const { code, out } = await run('demo/Legacy');
  assert.equal(code, 0);
  assert.match(
    out,
    /^ok demo\/Legacy \(legacy version 1 answer, HTTP 201\)\nbody \(application\/json\):\n {2}\{\n {4}"legacy": true\n {2}\}\n$/,
  );
  assert.equal((await run('demo/Legacy', '--json')).out, '{"legacy":true}\n');
});

test('an unknown command is a clear message naming the known ones, exit 1', async () => {
  const { code, out, err } = await run('demo/Nope');
  assert.equal(code, 1);
  assert.equal(out, '');
  assert.equal(err, 'connector-proxy run: there is no command "demo/Nope"; known: demo/Echo, demo/Fail, demo/Legacy\n');
});

test('malformed arguments are usage errors, exit 2', async () => {
  for (const args of [
    [],
    ['Echo'],
    ['demo/Echo', '--param', 'message'],
    ['demo/Echo', '--json={"message":'],
    ['demo/Echo', '--task-data', '[1]'],
    ['demo/Echo', 'demo/Fail'],
  ]) {
    const { code, err } = await run(...args);
    assert.equal(code, 2, `run ${args.join(' ')}`);
    assert.equal(err.trimEnd().split('\n').length, 1, err);
  }
});

test('a --file that cannot be read is an error naming the path, exit 1', async () => {
  const { code, err } = await run('demo/Echo', '--file', 'missing.json');
  assert.equal(code, 1);
  assert.match(err, /cannot read .*missing\.json/);
});

test('run keeps a "__proto__" parameter a plain key instead of turning it into a prototype', async () => {
  const { readParams } = await import('../src/params.js');
  const { defineCommand, param } = await import('@connector-proxy/core');
  const command = defineCommand({ params: { text: param.str() }, run: ({ text }) => ({ body: text }) });
  const body = await readParams(
    command,
    { json: '{"__proto__": {"polluted": 1}}', pairs: ['__proto__=x', 'text=hi'] },
    '.',
  );
  assert.equal(Object.getPrototypeOf(body), Object.prototype);
  assert.deepEqual(Object.keys(body).sort(), ['__proto__', 'text']);
  assert.equal(body.text, 'hi');
});

test('run keeps exact numbers from --json and --task-data in the raw envelope and in the summary', async () => {
  const json = await run(
    'demo/Echo',
    '--json',
    '{"message": 9007199254740993}',
    '--task-data',
    '{"order": 123456789012345678901234567890}',
  );
  assert.equal(json.code, 0);
  assert.match(json.out, /"message": "9007199254740993"/);
  assert.match(json.out, /"order": 123456789012345678901234567890/);
  const summary = await run('demo/Echo', '--param', 'message=x', '--task-data', '{"order": 18446744073709551615}');
  assert.match(summary.out, /"order": 18446744073709551615/);
});

test('run refuses --task-data nested deeper than the bound, naming it', async () => {
  const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const { code, err } = await run('demo/Echo', '--param', 'message=x', '--task-data', deep);
  assert.notEqual(code, 0);
  assert.match(err, /--task-data is nested deeper than 1000 levels/);
});
