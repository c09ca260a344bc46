import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  defineCommand,
  describeCommand,
  describeErrors,
  param,
  shape,
  type WireCommandEntry,
} from '@connector-proxy/core';

const reference: { commands: WireCommandEntry[] } = JSON.parse(
  readFileSync(new URL('../../../fixtures/python-reference/reference-commands.json', import.meta.url), 'utf8'),
);

const ok = () => ({ body: null });

test('required is true only for a parameter with no default that is not optional', () => {
  const command = defineCommand({
    params: {
      plain: param.str(),
      optional: param.str().optional(),
      withDefault: param.int().default(587),
      both: param.bool().optional().default(false),
      secretRequired: param.str().secret(),
    },
    run: ok,
  });
  const required = Object.fromEntries(describeCommand('x/Y', command).parameters.map((p) => [p.id, p.required]));
  assert.deepEqual(required, {
    plain: true,
    optional: false,
    withDefault: false,
    both: false,
    secretRequired: true,
  });
});

test('the default listing is minimal: id, type and required only, in declaration order', () => {
  const command = defineCommand({
    description: 'Sends something.',
    params: {
      zeta: param.str('Last letter').secret(),
      alpha: param.int().default(1),
      mode: param.enum(['a', 'b']).optional(),
      data: param.any(),
    },
    run: ok,
  });
  assert.deepEqual(describeCommand('demo/Send', command), {
    id: 'demo/Send',
    parameters: [
      { id: 'zeta', type: 'str', required: true },
      { id: 'alpha', type: 'int', required: false },
      { id: 'mode', type: 'str', required: false },
      { id: 'data', type: 'any', required: true },
    ],
  });
});

test('the detailed listing adds description, default, enum and secret where declared', () => {
  const command = defineCommand({
    description: 'Sends something.',
    params: {
      token: param.str('API token').secret(),
      attempts: param.int().default(3),
      format: param.enum(['json', 'form'], 'Body format').default('json'),
      flag: param.bool().optional(),
    },
    run: ok,
  });
  assert.deepEqual(describeCommand('demo/Send', command, { detailed: true }), {
    id: 'demo/Send',
    description: 'Sends something.',
    parameters: [
      {
        id: 'token',
        type: 'str',
        required: true,
        description: 'API token',
        secret: true,
        schema: { type: 'string', description: 'API token' },
      },
      { id: 'attempts', type: 'int', required: false, default: 3, schema: { type: 'integer', default: 3 } },
      {
        id: 'format',
        type: 'str',
        required: false,
        description: 'Body format',
        default: 'json',
        enum: ['json', 'form'],
        schema: { type: 'string', enum: ['json', 'form'], description: 'Body format', default: 'json' },
      },
      { id: 'flag', type: 'bool', required: false, schema: { type: 'boolean' } },
    ],
    errors: describeErrors(command),
  });
});

test('a structured parameter is listed as any, with its JSON Schema only in the detailed listing', () => {
  const command = defineCommand({
    params: {
      order: param.object({
        id: shape.bigint('Order id'),
        items: shape.array(shape.object({ sku: shape.str(), qty: shape.int().min(1) })),
        note: shape.str().optional(),
      }),
      tags: param.record(shape.union([shape.str(), shape.int()])).optional(),
      limit: param.int().min(1).max(100).default(10),
    },
    run: ok,
  });
  assert.deepEqual(describeCommand('demo/Order', command).parameters, [
    { id: 'order', type: 'any', required: true },
    { id: 'tags', type: 'any', required: false },
    { id: 'limit', type: 'int', required: false },
  ]);
  const [order, tags, limit] = describeCommand('demo/Order', command, { detailed: true }).parameters.map(
    (p) => (p as { schema?: unknown }).schema,
  );
  assert.deepEqual(order, {
    type: 'object',
    properties: {
      id: { type: 'integer', description: 'Order id' },
      items: {
        type: 'array',
        items: {
          type: 'object',
          properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
          required: ['sku', 'qty'],
          additionalProperties: false,
        },
      },
      note: { type: 'string' },
    },
    required: ['id', 'items'],
    additionalProperties: false,
  });
  assert.deepEqual(tags, {
    type: 'object',
    additionalProperties: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
  });
  assert.deepEqual(limit, { type: 'integer', default: 10, minimum: 1, maximum: 100 });
});

test('the detailed listing shows declared results, error codes, long-running and idempotent flags', () => {
  const command = defineCommand({
    params: {},
    longRunning: { timeoutMs: 60_000 },
    idempotent: true,
    result: { description: 'What was waited', schema: { type: 'object', properties: { waited: { type: 'integer' } } } },
    errors: { SlowDown: 'The service asked us to slow down.' },
    run: ok,
  });
  const entry = describeCommand('demo/Wait', command, { detailed: true });
  assert.deepEqual(entry.result, command.result);
  assert.equal(entry.long_running, true);
  assert.equal(entry.idempotent, true);
  assert.deepEqual(
    entry.errors?.map((e) => e.code),
    ['SlowDown', 'InvalidParameters', 'CommandTimeout', 'ProxyShuttingDown'],
  );
  assert.deepEqual(
    describeCommand('demo/Wait', command),
    { id: 'demo/Wait', parameters: [] },
    'the default listing stays minimal',
  );
});

test('a command without parameters is listed with an empty parameter list', () => {
  assert.deepEqual(describeCommand('x/Ping', defineCommand({ params: {}, run: ok })), { id: 'x/Ping', parameters: [] });
});

test("declarations shaped like the Python connectors' signatures list exactly as the Python proxy lists them", () => {
  const SendEmail = defineCommand({
    params: {
      smtp_host: param.str(),
      smtp_port: param.int(),
      email_subject: param.str(),
      email_body: param.str(),
      email_to: param.str(),
      email_from: param.str(),
      smtp_user: param.str().optional(),
      smtp_password: param.str().secret().optional(),
      smtp_starttls: param.bool().default(false),
    },
    run: ok,
  });
  const GetRequestV2 = defineCommand({
    params: {
      url: param.str(),
      headers: param.any().optional(),
      params: param.any().optional(),
      basic_auth_username: param.str().optional(),
      basic_auth_password: param.str().secret().optional(),
      attempts: param.int().default(1),
    },
    run: ok,
  });
  const Example = defineCommand({ params: { message: param.str() }, run: ok });
  for (const [id, command] of [
    ['smtp/SendEmail', SendEmail],
    ['http/GetRequestV2', GetRequestV2],
    ['example/Example', Example],
  ] as const) {
    const expected = reference.commands.find((c) => c.id === id);
    assert.ok(expected, id);
    assert.deepEqual(describeCommand(id, command), expected);
  }
});
