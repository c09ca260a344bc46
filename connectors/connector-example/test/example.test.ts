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
