import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestKey, toEnvelope, toWireError } from '@connector-proxy/core';

test('a success envelope carries the result with application/json by default and spiff__logs', () => {
  assert.deepEqual(toEnvelope({ body: { a: 1 } }, null, ['x']), {
    command_response: { body: { a: 1 }, mimetype: 'application/json' },
    error: null,
    command_response_version: 2,
    spiff__logs: ['x'],
  });
});

test('a failure envelope has an empty command_response, or only the http_status given', () => {
  const error = toWireError('HttpError404', 'not found');
  assert.deepEqual(error, { error_code: 'HttpError404', message: 'not found' });
  assert.deepEqual(toEnvelope(null, error, []).command_response, {});
  assert.deepEqual(toEnvelope(null, error, [], 404).command_response, { http_status: 404 });
});

test('the reserved request keys are spelled as the backend sends them', () => {
  assert.deepEqual(Object.values(RequestKey), [
    'spiff__task_data',
    'spiff__callback_url',
    'spiff__process_instance_id',
    'spiff__process_model_identifier',
    'spiff__task_id',
  ]);
});
