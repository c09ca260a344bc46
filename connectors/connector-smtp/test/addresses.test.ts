import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandError } from '@connector-proxy/core';
import { readAddress, readAddresses } from '../src/addresses.js';

const invalid = (pattern: RegExp) => (error: unknown) =>
  error instanceof CommandError && error.code === 'InvalidParameters' && pattern.test(error.message);

test('readAddresses splits on commas and semicolons and keeps display names', () => {
  assert.deepEqual(readAddresses('a@example.com; "Doe, Jane" <jane@example.com>,Bob <bob@example.org>', 'email_to'), [
    { name: '', address: 'a@example.com' },
    { name: 'Doe, Jane', address: 'jane@example.com' },
    { name: 'Bob', address: 'bob@example.org' },
  ]);
});

test('readAddresses takes a list of texts, each of which may hold several addresses', () => {
  assert.deepEqual(
    readAddresses(['a@example.com', 'b@example.com, c@localhost'], 'email_cc').map((a) => a.address),
    ['a@example.com', 'b@example.com', 'c@localhost'],
  );
});

test('readAddresses reads an absent value, an empty text or an empty list as no address', () => {
  assert.deepEqual(readAddresses(undefined, 'email_cc'), []);
  assert.deepEqual(readAddresses('', 'email_cc'), []);
  assert.deepEqual(readAddresses([], 'email_cc'), []);
});

test('readAddresses accepts international addresses', () => {
  assert.deepEqual(readAddresses('jürgen@bücher.example', 'email_to'), [
    { name: '', address: 'jürgen@bücher.example' },
  ]);
});

test('readAddresses refuses what is not an address, naming the parameter and the item', () => {
  assert.throws(() => readAddresses('jane', 'email_to'), invalid(/^invalid parameters: email_to: "jane" is not/));
  assert.throws(() => readAddresses('a@b@c', 'email_to'), invalid(/"a@b@c" is not an email address/));
  assert.throws(() => readAddresses('Jane <>', 'email_to'), invalid(/"Jane" is not an email address/));
  assert.throws(() => readAddresses('x@.example', 'email_to'), invalid(/"x@\.example"/));
  assert.throws(() => readAddresses(['ok@example.com', 'nope'], 'email_bcc'), invalid(/email_bcc\[1\]: "nope"/));
  assert.throws(
    () => readAddresses(42, 'email_cc'),
    invalid(/email_cc must be a text with email addresses, got a number/),
  );
  assert.throws(() => readAddresses([null], 'email_cc'), invalid(/email_cc\[0\] must be a text/));
});

test('readAddress wants exactly one address', () => {
  assert.deepEqual(readAddress('Bot <bot@spiff.local>', 'email_from'), { name: 'Bot', address: 'bot@spiff.local' });
  assert.throws(() => readAddress('', 'email_from'), invalid(/email_from must hold an email address/));
  assert.throws(() => readAddress('a@x.org, b@x.org', 'email_from'), invalid(/must hold one email address, got 2/));
});
