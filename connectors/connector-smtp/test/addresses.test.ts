import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeProblems, type Param } from '@connector-proxy/core';
import { addresses, recipients, sender } from '../src/params.js';

/** Checks a value as core checks the parameter; its problems as core words them, or the value. */
function read<T>(declaration: Param<T>, value: unknown, id: string): T | string {
  const checked = declaration.check(value);
  if (checked.ok) return checked.value;
  return describeProblems(id, checked.problems ?? [{ path: [], message: checked.problem }]).join('; ');
}

const cc = addresses('Cc');

test('addresses split on commas and semicolons and keep display names', () => {
  assert.deepEqual(read(cc, 'a@example.com; "Doe, Jane" <jane@example.com>,Bob <bob@example.org>', 'email_to'), [
    { name: '', address: 'a@example.com' },
    { name: 'Doe, Jane', address: 'jane@example.com' },
    { name: 'Bob', address: 'bob@example.org' },
  ]);
});

test('addresses take a list of texts, each of which may hold several addresses', () => {
  const read1 = read(cc, ['a@example.com', 'b@example.com, c@localhost'], 'email_cc');
  assert.deepEqual(Array.isArray(read1) && read1.map((a) => a.address), [
    'a@example.com',
    'b@example.com',
    'c@localhost',
  ]);
});

test('an absent value, an empty text or an empty list is no address', () => {
  assert.equal(cc.required, false);
  assert.deepEqual(cc.defaultValue, []);
  assert.deepEqual(read(cc, '', 'email_cc'), []);
  assert.deepEqual(read(cc, [], 'email_cc'), []);
});

test('international addresses are accepted', () => {
  assert.deepEqual(read(cc, 'jürgen@bücher.example', 'email_to'), [{ name: '', address: 'jürgen@bücher.example' }]);
});

test('what is not an address is refused, naming the parameter and the item, every one at once', () => {
  assert.equal(read(cc, 'jane', 'email_to'), 'email_to: "jane" is not an email address');
  assert.match(String(read(cc, 'a@b@c', 'email_to')), /"a@b@c" is not an email address/);
  assert.match(String(read(cc, 'Jane <>', 'email_to')), /"Jane" is not an email address/);
  assert.match(String(read(cc, 'x@.example', 'email_to')), /"x@\.example"/);
  assert.match(String(read(cc, ['ok@example.com', 'nope'], 'email_bcc')), /email_bcc\[1\]: "nope"/);
  assert.equal(read(cc, 42, 'email_cc'), 'email_cc must be a text with email addresses, got a number');
  assert.match(String(read(cc, [null], 'email_cc')), /email_cc\[0\] must be a text/);
  assert.equal(
    read(cc, ['nope', 7, 'a@b.c, worse'], 'email_cc'),
    'email_cc[0]: "nope" is not an email address; email_cc[1] must be a text with email addresses, got a number; email_cc[2]: "worse" is not an email address',
  );
});

test('recipients are listed as str, take a text or a list, and must hold at least one address', () => {
  const to = recipients('To');
  assert.equal(to.type, 'str');
  assert.equal(read(to, '', 'email_to'), 'email_to must hold at least one email address');
  assert.equal(read(to, { address: 'a@b.c' }, 'email_to'), 'email_to must be a text or a list of texts, got an object');
  assert.deepEqual(read(to, ['a@b.c'], 'email_to'), [{ name: '', address: 'a@b.c' }]);
});

test('the sender is exactly one address', () => {
  const from = sender('From');
  assert.deepEqual(read(from, 'Bot <bot@spiff.local>', 'email_from'), { name: 'Bot', address: 'bot@spiff.local' });
  assert.match(String(read(from, '', 'email_from')), /email_from must hold an email address/);
  assert.match(String(read(from, 'a@x.org, b@x.org', 'email_from')), /must hold one email address, got 2/);
});
