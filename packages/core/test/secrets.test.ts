import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineCommand, param, toMask } from '@connector-proxy/core';
import { createSecretMask } from '../src/secrets.js';

const command = defineCommand({
  params: {
    user: param.str(),
    password: param.str().secret(),
    pin: param.int().secret().optional(),
    credentials: param.any().secret().optional(),
  },
  run: () => ({ body: null }),
});

test('a mask replaces every occurrence of every secret with ***', () => {
  const mask = toMask(['hunter22', 'tok3n']);
  assert.equal(mask('hunter22 and tok3n, again hunter22'), '*** and ***, again ***');
});

test('a mask without secrets leaves text as it is', () => {
  assert.equal(toMask([])('nothing to hide'), 'nothing to hide');
});

test('the longest secret is masked first, so one inside another leaves nothing behind', () => {
  assert.equal(toMask(['abc', 'xxabcxx'])('see xxabcxx and abc'), 'see *** and ***');
});

test('a secret is also masked as it appears escaped in JSON and encoded in a URL', () => {
  const secret = 'p@ss "word"/&';
  const mask = toMask([secret]);
  assert.equal(mask(JSON.stringify({ password: secret })), '{"password":"***"}');
  assert.equal(mask(`https://x/?p=${encodeURIComponent(secret)}`), 'https://x/?p=***');
});

test('a secret with a lone surrogate does not break the mask', () => {
  assert.equal(toMask(['ab\ud800cd'])('x ab\ud800cd y'), 'x *** y');
});

test('only the values of secret parameters are masked', () => {
  const mask = createSecretMask(command, { user: 'annabel', password: 'hunter22' });
  assert.equal(mask('annabel logs in with hunter22'), 'annabel logs in with ***');
});

test('values shorter than three characters are not masked, so lines stay readable', () => {
  const mask = createSecretMask(command, { user: 'ann', password: 'ab' });
  assert.equal(mask('ab cd'), 'ab cd');
});

test('numbers and integer strings are masked in the form the command sees them', () => {
  assert.equal(createSecretMask(command, { password: 'x', pin: 98765 })('pin 98765'), 'pin ***');
  assert.equal(createSecretMask(command, { password: 'x', pin: ' 4321 ' })('pin 4321'), 'pin ***');
});

test('the strings inside a secret object or list are masked', () => {
  const mask = createSecretMask(command, {
    password: 'x',
    credentials: { token: 'tok-123456', nested: { keys: ['key-aaaa'] } },
  });
  assert.equal(mask('token tok-123456 key key-aaaa'), 'token *** key ***');
});

test('a parameter missing from the body or inherited from the prototype adds nothing', () => {
  const body = JSON.parse('{"__proto__": {"password": "inherited"}}');
  assert.equal(createSecretMask(command, body)('inherited'), 'inherited');
});
