import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { plainText, renderHome } from '../src/home.js';

const Only = defineCommand({
  description: 'Retries up to `attempts` times, ``quoted`` too.',
  params: { attempts: param.int() },
  run: () => ({ body: null }),
});

test('the home page counts in the singular for one command and shows descriptions without Markdown marks', () => {
  const registry = createRegistry([defineConnector({ name: 'one', commands: { Only } })]);
  const html = renderHome(registry, { listCommands: true });
  assert.match(html, /<h2>1 command<\/h2>/);
  assert.match(html, /Retries up to attempts times, quoted too\./);
  assert.doesNotMatch(html, /`/);
});

test('the home page counts in the plural for none and for several', () => {
  const Two = defineCommand({ params: {}, run: () => ({ body: null }) });
  assert.match(renderHome(createRegistry([]), { listCommands: true }), /<h2>0 commands<\/h2>/);
  const two = createRegistry([defineConnector({ name: 'two', commands: { Only, Two } })]);
  assert.match(renderHome(two, { listCommands: true }), /<h2>2 commands<\/h2>/);
});

test('plainText drops code marks and keeps everything else', () => {
  assert.equal(plainText('use `a` or ``b`` and a lone ` mark'), 'use a or b and a lone  mark');
  assert.equal(plainText('no marks: <b> & "q"'), 'no marks: <b> & "q"');
});
