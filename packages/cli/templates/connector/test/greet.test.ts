import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import { Greet } from '../src/commands/greet.js';
import connector from '../src/index.js';

test('the connector is named {{name}} and serves Greet', () => {
  assert.equal(connector.name, '{{name}}');
  assert.deepEqual([...connector.commands.keys()], ['Greet']);
});

test('Greet answers with a greeting and logs what it did', async () => {
  const run = await runCommand(Greet, { name: 'Ada' });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { message: 'Hello, Ada!' });
  assert.deepEqual(run.logs, ['greeting Ada 1 time(s)']);
});

test('Greet accepts numbers and booleans sent as text, as a diagram may send them', async () => {
  const run = await runCommand(Greet, { name: 'Ada', greeting: 'Hi', times: '2', shout: 'true' });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { message: 'HI, ADA! HI, ADA!' });
});

test('Greet with an empty name fails with the EmptyName code', async () => {
  const run = await runCommand(Greet, { name: ' ' });
  assert.equal(run.error?.error_code, 'EmptyName');
  assert.equal(run.envelope.command_response.http_status, 400);
});

test('Greet without a name is refused with InvalidParameters before it runs', async () => {
  const run = await runCommand(Greet, {});
  assert.equal(run.error?.error_code, 'InvalidParameters');
  assert.match(run.error?.message ?? '', /name is required/);
});
