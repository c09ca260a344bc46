import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeCommand } from '@connector-proxy/core';
import http from '../src/index.js';

interface ReferenceEntry {
  id: string;
  parameters: { id: string; type: string; required: boolean }[];
}

const reference: { commands: ReferenceEntry[] } = JSON.parse(
  readFileSync(new URL('../../../fixtures/python-reference/reference-commands.json', import.meta.url), 'utf8'),
);
const httpEntries = reference.commands.filter((entry) => entry.id.startsWith('http/'));

test('the connector is named http and has both families, six commands each', () => {
  assert.equal(http.name, 'http');
  const names = [...http.commands.keys()].sort();
  const methods = ['Delete', 'Get', 'Head', 'Patch', 'Post', 'Put'];
  const expected = [...methods.map((m) => `${m}Request`), ...methods.map((m) => `${m}RequestV2`)].sort();
  assert.deepEqual(names, expected);
});

test('the reference listing has http entries to compare with', () => {
  assert.ok(httpEntries.length > 0);
});

for (const entry of httpEntries) {
  test(`${entry.id} lists the Python parameters with their types and requiredness, in order`, () => {
    const name = entry.id.slice('http/'.length);
    const command = http.commands.get(name);
    assert.ok(command, `${entry.id} is missing`);
    const ours = describeCommand(entry.id, command).parameters.map(({ id, type, required }) => ({
      id,
      type,
      required,
    }));
    assert.deepEqual(ours.slice(0, entry.parameters.length), entry.parameters);
  });
}

test('basic_auth_password is a secret in every command, so its value is masked in logs and errors', () => {
  for (const [name, command] of http.commands) {
    assert.equal(command.params.basic_auth_password?.isSecret, true, name);
  }
});

test('every V2 command takes attempts and every unsuffixed one include_response_headers', () => {
  for (const [name, command] of http.commands) {
    const extra = name.endsWith('V2') ? 'attempts' : 'include_response_headers';
    assert.ok(Object.hasOwn(command.params, extra), `${name} lacks ${extra}`);
  }
});

test("no command file imports its own package's index", () => {
  const folder = new URL('../src/commands/', import.meta.url);
  for (const file of readdirSync(folder)) {
    const source = readFileSync(new URL(file, folder), 'utf8');
    assert.doesNotMatch(source, /from '\.\.\/index\.js'/, file);
  }
});

test('the detailed listing shows the shapes of headers, params and data as JSON Schema', () => {
  const command = http.commands.get('PostRequest');
  assert.ok(command);
  const schemas = Object.fromEntries(
    describeCommand('http/PostRequest', command, { detailed: true }).parameters.map((p) => [
      p.id,
      (p as { schema?: Record<string, unknown> }).schema,
    ]),
  );
  assert.equal(schemas.headers?.type, 'object');
  assert.deepEqual(schemas.headers?.additionalProperties, {
    type: ['string', 'number', 'boolean'],
    description: 'Latin-1 text',
  });
  assert.equal(schemas.url?.format, 'uri');
  assert.equal((schemas.data?.anyOf as unknown[] | undefined)?.length, 3);
  assert.deepEqual(schemas.body_format?.enum, ['json', 'form', 'raw', 'none']);
  const get = http.commands.get('GetRequestV2');
  assert.ok(get);
  const params = describeCommand('http/GetRequestV2', get, { detailed: true }).parameters.find(
    (p) => p.id === 'params',
  );
  assert.equal((params as { schema?: { type?: string } }).schema?.type, 'object');
});
