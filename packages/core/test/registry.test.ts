import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry, DefinitionError, defineCommand, defineConnector, param } from '@connector-proxy/core';

const ok = () => ({ body: null });
const SendEmail = defineCommand({ params: { to: param.str(), port: param.int().default(25) }, run: ok });
const GetRequest = defineCommand({ params: { url: param.str('Where') }, run: ok });
const PostRequest = defineCommand({ params: {}, run: ok });
const smtp = defineConnector({ name: 'smtp', commands: { SendEmail } });
const http = defineConnector({ name: 'http', commands: { GetRequest, PostRequest } });

test('find returns the command for a connector and command name, undefined otherwise', () => {
  const registry = createRegistry([smtp, http]);
  assert.equal(registry.find('smtp', 'SendEmail'), SendEmail);
  assert.equal(registry.find('http', 'PostRequest'), PostRequest);
  assert.equal(registry.find('smtp', 'GetRequest'), undefined);
  assert.equal(registry.find('ftp', 'SendEmail'), undefined);
  assert.equal(registry.find('smtp', 'sendemail'), undefined);
});

test('find does not answer with inherited object members for names taken from a URL', () => {
  const registry = createRegistry([smtp]);
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    assert.equal(registry.find(name, 'SendEmail'), undefined);
    assert.equal(registry.find('smtp', name), undefined);
  }
});

test('two connectors with one name are refused at creation, naming it', () => {
  const again = defineConnector({ name: 'smtp', commands: { PostRequest } });
  assert.throws(
    () => createRegistry([smtp, http, again]),
    (error: unknown) => {
      assert.ok(error instanceof DefinitionError);
      assert.match(error.message, /"smtp"/);
      return true;
    },
  );
});

test('list gives one entry per command in connector then command order', () => {
  const registry = createRegistry([smtp, http]);
  assert.deepEqual(
    registry.list().map((e) => e.id),
    ['smtp/SendEmail', 'http/GetRequest', 'http/PostRequest'],
  );
  assert.deepEqual(registry.list()[0], {
    id: 'smtp/SendEmail',
    parameters: [
      { id: 'to', type: 'str', required: true },
      { id: 'port', type: 'int', required: false },
    ],
  });
  assert.deepEqual(registry.list({ detailed: true })[1]?.parameters, [
    { id: 'url', type: 'str', required: true, description: 'Where', schema: { type: 'string', description: 'Where' } },
  ]);
});

test('list is computed once: every call returns the same frozen array', () => {
  const registry = createRegistry([smtp, http]);
  assert.equal(registry.list(), registry.list());
  assert.equal(registry.list({ detailed: true }), registry.list({ detailed: true }));
  assert.equal(registry.list({ detailed: false }), registry.list());
  assert.notEqual(registry.list({ detailed: true }), registry.list());
  assert.ok(Object.isFrozen(registry.list()));
});

test('entries name every command with its id, connector and export name', () => {
  const registry = createRegistry([http]);
  assert.deepEqual(
    registry.entries().map(({ id, connector, name, command }) => ({ id, connector, name, command })),
    [
      { id: 'http/GetRequest', connector: 'http', name: 'GetRequest', command: GetRequest },
      { id: 'http/PostRequest', connector: 'http', name: 'PostRequest', command: PostRequest },
    ],
  );
  assert.equal(registry.entries(), registry.entries());
  assert.ok(Object.isFrozen(registry.entries()));
  assert.deepEqual(
    registry.connectors.map((c) => c.name),
    ['http'],
  );
});

test('an empty registry lists nothing', () => {
  const registry = createRegistry([]);
  assert.deepEqual(registry.list(), []);
  assert.equal(registry.find('smtp', 'SendEmail'), undefined);
});
