import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  DEFAULT_MAX_WRITE_DEPTH,
  type EnvelopeV2,
  ExactNumber,
  envelopeText,
  RequestKey,
  stringifyJson,
  toEnvelope,
  toWireError,
} from '@connector-proxy/core';

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

test('envelopeText writes every envelope as stringifyJson does, byte for byte', () => {
  const logs = ['will call GET http://127.0.0.1/a', 'quote " backslash \\ newline \n', 'é ☃ \u2028 \ud83d\ude00'];
  const envelopes: EnvelopeV2[] = [
    toEnvelope({ body: { a: 1, list: [1, 'two', null, true, { deep: [[]] }] } }, null, logs),
    toEnvelope({ body: 'text', mimetype: 'text/plain', httpStatus: 201, headers: { 'X-A': 'b "c"' } }, null, []),
    toEnvelope({ body: null }, toWireError('HttpError500', 'went "wrong"\u0000'), logs, 500),
    toEnvelope(null, toWireError('CommandNotFound', 'no such command'), []),
    toEnvelope(null, toWireError('CommandTimeout', 'late'), [], 504),
    toEnvelope(
      { body: { big: new ExactNumber('123456789012345678901234567890'), n: 10n, e: -0, f: 1.5e300 } },
      null,
      [],
    ),
    toEnvelope(
      { body: { undefinedDropped: undefined, fn: () => 1, date: new Date(0), boxed: new String('s') } },
      null,
      [],
    ),
    toEnvelope({ body: [undefined, () => 1] }, null, []),
    maskInvocationEnvelope(),
    // Strings written by hand when they are plain ASCII, else by JSON.stringify: every kind of each.
    ...['', 'plain text', '"', '\\', '\u0000\u001f', '\u007f', 'é', '\ud800', '\udc00x', '\u2028', '</script>'].map(
      (s) => toEnvelope({ body: { [s]: s, k: `a${s}b` }, mimetype: s, headers: { [s]: s } }, null, [s, `x${s}`, s]),
    ),
    toEnvelope({ body: ['a', 'b"'] }, null, []),
    toEnvelope({ body: Object.assign(Object.create({ inherited: 'no' }), { own: 'yes' }) }, null, []),
    toEnvelope({ body: { 2: 'two', 1: 'one', b: 'b', a: 'a' } }, null, []),
  ] as EnvelopeV2[];
  for (const envelope of envelopes) assert.equal(envelopeText(envelope), stringifyJson(envelope));
});

test('envelopeText writes the members in the protocol order, whatever order an envelope was built in', () => {
  const reordered = {
    spiff__logs: ['x'],
    command_response_version: 2,
    error: null,
    command_response: { headers: { a: 'b' }, http_status: 201, mimetype: 'text/plain', body: 'hi' },
  } as EnvelopeV2;
  assert.equal(
    envelopeText(reordered),
    '{"command_response":{"body":"hi","mimetype":"text/plain","http_status":201,"headers":{"a":"b"}},"error":null,"command_response_version":2,"spiff__logs":["x"]}',
  );
});

test('envelopeText names what JSON cannot carry by its place in the envelope', () => {
  const nan = toEnvelope({ body: { n: Number.NaN } }, null, []);
  assert.throws(() => envelopeText(nan), { name: 'JsonError', message: /^command_response\.body\.n is NaN/ });
  const infinite = toEnvelope({ body: Number.POSITIVE_INFINITY }, null, []);
  assert.throws(() => envelopeText(infinite), { name: 'JsonError', message: /^command_response\.body is Infinity/ });
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  assert.throws(() => envelopeText(toEnvelope({ body: cycle }, null, [])), { message: /a cycle/ });
});

test('envelopeText keeps the whole envelope within the write depth', () => {
  const nested = (levels: number) => {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = [value];
    return value;
  };
  // The envelope and command_response are two levels: the body may have the rest.
  const fits = toEnvelope({ body: nested(DEFAULT_MAX_WRITE_DEPTH - 2) }, null, []);
  assert.equal(envelopeText(fits), stringifyJson(fits));
  const over = toEnvelope({ body: nested(DEFAULT_MAX_WRITE_DEPTH - 1) }, null, []);
  assert.throws(() => stringifyJson(over), { name: 'JsonError' });
  assert.throws(() => envelopeText(over), { name: 'JsonError', message: /nested deeper/ });
});

/** An envelope as the secret mask rebuilds it: a copy of each part, the same order. */
function maskInvocationEnvelope(): EnvelopeV2 {
  const original = toEnvelope({ body: { token: '***' }, httpStatus: 401 }, toWireError('HttpError401', 'no'), ['a']);
  return { ...original, command_response: { ...original.command_response } };
}
