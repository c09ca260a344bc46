import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandError, defineCommand, param } from '@connector-proxy/core';
import { createFakeContext, runCommand } from '@connector-proxy/core/testing';

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
