import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CommandError, createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { createFakeContext, listingProblems, runCommand } from '@connector-proxy/core/testing';

const Greet = defineCommand({
  params: { name: param.str(), times: param.int().default(1) },
  run({ name, times }, { log, taskData, config, task }) {
    log(`greeting ${name}`);
    return {
      body: { text: `hello ${name}`.repeat(times), taskData, config, task },
      httpStatus: 200,
    };
  },
});

test('runCommand runs a command as the proxy does and hands back the envelope and its parts', async () => {
  const run = await runCommand(Greet, { name: 'ann', times: '2' });
  assert.equal(run.invocation.kind, 'v2');
  assert.equal(run.failure, null);
  assert.equal(run.error, null);
  assert.deepEqual(run.logs, ['greeting ann']);
  assert.deepEqual(run.body, { text: 'hello annhello ann', taskData: {}, config: {}, task: {} });
  assert.equal(run.envelope.command_response_version, 2);
  assert.equal(run.envelope.command_response.http_status, 200);
  assert.equal(run.envelope.spiff__logs, run.logs);
});

test('runCommand passes task data, task info and configuration to the context', async () => {
  const run = await runCommand(
    Greet,
    { name: 'ann' },
    {
      taskData: { order: 1 },
      config: { KEY: 'v' },
      task: { callbackUrl: 'http://arena/cb', processInstanceId: '7', processModelIdentifier: 'g/m', taskId: 't' },
    },
  );
  assert.deepEqual(run.body, {
    text: 'hello ann',
    taskData: { order: 1 },
    config: { KEY: 'v' },
    task: { callbackUrl: 'http://arena/cb', processInstanceId: '7', processModelIdentifier: 'g/m', taskId: 't' },
  });
});

test('runCommand keeps spiff__ keys given among the params when no option replaces them', async () => {
  const run = await runCommand(Greet, { name: 'ann', spiff__task_data: { from: 'params' }, spiff__task_id: 't1' });
  assert.deepEqual(run.body, {
    text: 'hello ann',
    taskData: { from: 'params' },
    config: {},
    task: { taskId: 't1' },
  });
});

test('runCommand reports failures with their code and kind', async () => {
  const missing = await runCommand(Greet, {});
  assert.equal(missing.failure, 'invalid_parameters');
  assert.equal(missing.error?.error_code, 'InvalidParameters');

  const Failing = defineCommand({
    params: {},
    run() {
      throw new CommandError('HttpError503', 'down', { httpStatus: 503 });
    },
  });
  const failed = await runCommand(Failing, {});
  assert.equal(failed.failure, 'command');
  assert.deepEqual(failed.error, { error_code: 'HttpError503', message: 'down' });
  // As a callback carries it: the body is present, null, beside the error.
  assert.equal(failed.body, null);
});

test('runCommand applies the timeout option', async () => {
  const Hangs = defineCommand({ params: {}, run: () => new Promise<never>(() => {}) });
  const run = await runCommand(Hangs, {}, { timeoutMs: 10 });
  assert.equal(run.error?.error_code, 'CommandTimeout');
});

test('runCommand turns a legacy result into the version-2 envelope its callback would carry', async () => {
  const Legacy = defineCommand({
    params: {},
    run: (_args, { log }) => {
      log('old style');
      return { response: { a: 1 }, status: 201 };
    },
  });
  const run = await runCommand(Legacy, {});
  assert.equal(run.invocation.kind, 'v1');
  assert.deepEqual(run.body, { a: 1 });
  assert.deepEqual(run.envelope.command_response, { body: { a: 1 }, mimetype: 'application/json', http_status: 201 });
  assert.deepEqual(run.logs, ['old style']);
  assert.deepEqual(run.envelope.spiff__logs, ['old style']);
  assert.equal(run.error, null);
  assert.equal(run.failure, null);
});

test('createFakeContext gives empty defaults, a live signal and collects logs', () => {
  const context = createFakeContext();
  assert.deepEqual(context.taskData, {});
  assert.deepEqual(context.config, {});
  assert.deepEqual(context.task, {});
  assert.equal(context.signal.aborted, false);
  context.log('one');
  context.log('two');
  assert.deepEqual(context.logs, ['one', 'two']);
});

test('createFakeContext uses what the test passes', async () => {
  const controller = new AbortController();
  const context = createFakeContext({
    taskData: { a: 1 },
    config: { K: 'v' },
    signal: controller.signal,
    task: { taskId: 't' },
  });
  const result = await Greet.run({ name: 'bob', times: 1 }, context);
  assert.deepEqual(result, {
    body: { text: 'hello bob', taskData: { a: 1 }, config: { K: 'v' }, task: { taskId: 't' } },
    httpStatus: 200,
  });
  assert.deepEqual(context.logs, ['greeting bob']);
  controller.abort();
  assert.equal(context.signal.aborted, true);
});

describe('listingProblems', () => {
  const Described = defineCommand({
    description: 'Says hello.',
    params: { name: param.str(), loud: param.bool().default(false) },
    result: { description: 'The greeting.', schema: { type: 'object' } },
    errors: { NoGreeting: 'there is nobody to greet' },
    run: ({ name }) => ({ body: { hello: name } }),
  });
  const Bare = defineCommand({ params: {}, run: () => ({ body: {} }) });
  const registry = createRegistry([defineConnector({ name: 'greet', commands: { Hello: Described } })]);
  const codes = (registry.list({ detailed: true })[0]?.errors ?? []).map((e) => e.code);
  const readme = codes.map((code) => `| \`${code}\` | 400 | why |`).join('\n');
  const reference = [
    {
      id: 'greet/Hello',
      parameters: [{ id: 'name', type: 'str' as const, required: true }],
    },
  ];

  test('finds nothing in a described command that matches its reference and README', () => {
    assert.deepEqual(listingProblems(registry, { readme, reference }), []);
  });

  test('names a command without a description, a described result or a schema', () => {
    const bare = createRegistry([defineConnector({ name: 'greet', commands: { Bare } })]);
    assert.deepEqual(listingProblems(bare), [
      'greet/Bare has no description',
      'greet/Bare does not describe its result',
      'greet/Bare has no result schema',
    ]);
  });

  test('names an error code without a README table row; the proxy-level ones are exempt', () => {
    const missing = readme
      .split('\n')
      .filter((row) => !row.includes('`NoGreeting`'))
      .join('\n');
    assert.deepEqual(listingProblems(registry, { readme: missing }), [
      'greet/Hello: the README has no error table row for NoGreeting',
    ]);
    // Mentioned in prose, not a row of a table, does not count.
    assert.equal(listingProblems(registry, { readme: `${missing}\nSee \`NoGreeting\`.` }).length, 1);
  });

  test('names other commands, parameters out of order or of another type, and required extras', () => {
    assert.deepEqual(listingProblems(registry, { reference: [...reference, { id: 'greet/Bye', parameters: [] }] }), [
      'the commands are greet/Hello; the reference lists greet/Hello, greet/Bye',
    ]);
    const other = [
      {
        id: 'greet/Hello',
        parameters: [
          { id: 'name', type: 'int' as const, required: true },
          { id: 'loud', type: 'bool' as const, required: false },
          { id: 'times', type: 'int' as const, required: false },
        ],
      },
    ];
    assert.deepEqual(listingProblems(registry, { reference: other }), [
      'greet/Hello: parameter 1 should be name (int, required), is name (str, required)',
      'greet/Hello: parameter 3 should be times (int, optional), is nothing',
    ]);
    const required = createRegistry([
      defineConnector({
        name: 'greet',
        commands: {
          Hello: defineCommand({
            description: 'Says hello.',
            params: { name: param.str(), must: param.str() },
            result: { description: 'The greeting.', schema: { type: 'object' } },
            run: ({ name }) => ({ body: { hello: name } }),
          }),
        },
      }),
    ]);
    assert.deepEqual(listingProblems(required, { reference }), [
      'greet/Hello: must is an extra, so it must be optional',
    ]);
  });
});
