import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import example from '../src/index.js';

const Example = example.commands.get('Example');

test("Example echoes the message in the Python connector's words", async () => {
  assert.ok(Example);
  const run = await runCommand(Example, { message: 'hello' });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { connector_response: "You passed the example connector: 'hello'. Have a good day!" });
  assert.equal(run.envelope.command_response.mimetype, 'application/json');
});

test('Example without a message is refused with InvalidParameters', async () => {
  assert.ok(Example);
  const run = await runCommand(Example, {});
  assert.equal(run.error?.error_code, 'InvalidParameters');
  assert.match(run.error?.message ?? '', /message is required/);
});

const Wait = example.commands.get('Wait');

test('Wait is declared long-running and idempotent, waits, and answers how long it waited', async () => {
  assert.ok(Wait);
  assert.ok(Wait.longRunning);
  assert.equal(Wait.idempotent, true);
  const started = Date.now();
  const run = await runCommand(Wait, { seconds: 1 });
  assert.ok(Date.now() - started >= 990);
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { waited: 1 });
});

test('Wait refuses a negative or too long wait with InvalidParameters', async () => {
  assert.ok(Wait);
  for (const seconds of [-1, 86_401]) {
    const run = await runCommand(Wait, { seconds });
    assert.equal(run.error?.error_code, 'InvalidParameters');
  }
});
