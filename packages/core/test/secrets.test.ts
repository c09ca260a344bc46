import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineCommand, param, toMask } from '@connector-proxy/core';
import { createSecretSet, maskValue } from '../src/secrets.js';

type AnyCommand = { params: Record<string, { isSecret: boolean }> };
/** The ids of a command's secret parameters, as invoke hands them over. */
const secretIdsOf = (of: AnyCommand) => Object.keys(of.params).filter((id) => of.params[id]?.isSecret);
const createSecretMask = (of: AnyCommand, body: Record<string, unknown>, extra?: readonly string[]) =>
  createSecretSet(secretIdsOf(of), body, extra).mask;

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

test('a value masked deep and wide keeps its shape, key order and exact numbers, without recursion', () => {
  const mask = toMask(['hunter22']);
  let deep: unknown = 'hunter22 inside';
  for (let i = 0; i < 50_000; i++) deep = [deep];
  let masked = maskValue(deep, mask);
  for (let i = 0; i < 50_000; i++) masked = (masked as unknown[])[0];
  assert.equal(masked, '*** inside');
  class Exact {
    constructor(readonly value: string) {}
  }
  const exact = new Exact('9007199254740993');
  const value = { b: 'hunter22', a: [1, 'x hunter22'], hunter22: true, exact };
  const out = maskValue(value, mask) as Record<string, unknown>;
  assert.deepEqual(Object.keys(out), ['b', 'a', '***', 'exact']);
  assert.deepEqual(out, { b: '***', a: [1, 'x ***'], '***': true, exact });
  assert.equal(out.exact, exact, 'objects that are not plain data are kept as they are');
  assert.equal(value.b, 'hunter22', 'the original is not changed');
});

test('a registered secret is masked in its base64 and URL-safe base64 forms too', () => {
  const set = createSecretSet(secretIdsOf(command), {});
  set.add('ada:lovelace');
  const b64 = Buffer.from('ada:lovelace').toString('base64');
  assert.equal(set.mask(`Basic ${b64}`), 'Basic ***');
  assert.equal(set.active, true);
});
