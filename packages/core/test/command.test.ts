import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineCommand, isCommand, isLegacyResult, param } from '@connector-proxy/core';

test('defineCommand keeps the declaration and freezes it', () => {
  const run = () => ({ body: 'ok' });
  const command = defineCommand({ description: 'Does it.', params: { a: param.str() }, timeoutMs: 50, run });
  assert.equal(command.description, 'Does it.');
  assert.equal(command.timeoutMs, 50);
  assert.equal(command.run, run);
  assert.deepEqual(Object.keys(command.params), ['a']);
  assert.ok(Object.isFrozen(command));
});

test('isCommand recognises defined commands, also by the shared symbol another copy of core uses', () => {
  assert.equal(isCommand(defineCommand({ params: {}, run: () => ({ body: null }) })), true);
  assert.equal(isCommand({ [Symbol.for('connector-proxy.command')]: true, params: {}, run() {} }), true);
  for (const value of [null, undefined, 'SendEmail', () => {}, { params: {}, run() {} }]) {
    assert.equal(isCommand(value), false);
  }
});

test('isLegacyResult is true for { response } without a body', () => {
  assert.equal(isLegacyResult({ response: 'x', status: 200, mimetype: 'text/plain' }), true);
  assert.equal(isLegacyResult({ body: 'x' }), false);
  assert.equal(isLegacyResult({ body: 'x', response: 'y' } as never), false);
});
