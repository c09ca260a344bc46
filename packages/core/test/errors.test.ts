import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandError, DefinitionError, ERROR_MEANINGS, ErrorCode, isCommandError } from '@connector-proxy/core';

test('the error codes the proxy produces keep their exact names, since diagrams catch them by name', () => {
  assert.deepEqual(ErrorCode, {
    CommandNotFound: 'command_not_found',
    InvalidRequest: 'InvalidRequest',
    InvalidParameters: 'InvalidParameters',
    CommandTimeout: 'CommandTimeout',
    InvalidCommandResult: 'InvalidCommandResult',
    ProxyShuttingDown: 'ProxyShuttingDown',
    CommandInterrupted: 'CommandInterrupted',
    EgressDenied: 'EgressDenied',
    InvalidConfiguration: 'InvalidConfiguration',
  });
  assert.deepEqual(Object.keys(ERROR_MEANINGS).sort(), Object.values(ErrorCode).sort(), 'each code has its meaning');
});

test('a CommandError carries its code, message, status and cause', () => {
  const cause = new Error('socket hang up');
  const error = new CommandError('HttpError502', 'bad gateway', { httpStatus: 502, cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'CommandError');
  assert.equal(error.code, 'HttpError502');
  assert.equal(error.message, 'bad gateway');
  assert.equal(error.httpStatus, 502);
  assert.equal(error.cause, cause);
  const bare = new CommandError('Refused', 'no');
  assert.equal(bare.httpStatus, undefined);
  assert.equal(Object.hasOwn(bare, 'cause'), false);
});

test('isCommandError recognises CommandErrors, also from another copy of core, and nothing else', () => {
  assert.equal(isCommandError(new CommandError('X', 'x')), true);
  assert.equal(isCommandError(Object.assign(new Error('x'), { name: 'CommandError', code: 'X' })), true);
  assert.equal(isCommandError(Object.assign(new Error('x'), { name: 'CommandError' })), false);
  assert.equal(isCommandError(new Error('x')), false);
  assert.equal(isCommandError({ name: 'CommandError', code: 'X', message: 'x' }), false);
});

test('a DefinitionError is an Error named DefinitionError', () => {
  const error = new DefinitionError('bad connector');
  assert.ok(error instanceof Error);
  assert.equal(error.name, 'DefinitionError');
});
