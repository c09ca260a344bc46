import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DefinitionError, defineCommand, defineConnector, isConnector, param } from '@connector-proxy/core';

const SendEmail = defineCommand({ params: { to: param.str() }, run: () => ({ body: null }) });
const GetRequestV2 = defineCommand({ params: {}, run: () => ({ body: null }) });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof DefinitionError, `threw ${String(error)}`);
    return error.message;
  }
  assert.fail('did not throw');
}

test('a connector keeps its name, description and commands in export order', () => {
  const connector = defineConnector({
    name: 'smtp',
    description: 'Email.',
    commands: { SendEmail, GetRequestV2 },
  });
  assert.equal(connector.name, 'smtp');
  assert.equal(connector.description, 'Email.');
  assert.deepEqual([...connector.commands.keys()], ['SendEmail', 'GetRequestV2']);
  assert.equal(connector.commands.get('SendEmail'), SendEmail);
  assert.ok(isConnector(connector));
});

test('a module namespace of commands (import * as commands) is accepted as it is', async () => {
  const source =
    "export const Ping = { [Symbol.for('connector-proxy.command')]: true, params: {}, run: () => ({ body: null }) };";
  const commands: Record<string, unknown> = await import(`data:text/javascript,${encodeURIComponent(source)}`);
  const connector = defineConnector({ name: 'ping', commands });
  assert.deepEqual([...connector.commands.keys()], ['Ping']);
});

test('a connector name must be lowercase letters, digits, "-" or "_", and the message shows it', () => {
  for (const name of ['Smtp', '', 'connector smtp', '1http', 'http/x', 'smtp.v2']) {
    assert.match(
      refusal(() => defineConnector({ name, commands: { SendEmail } })),
      /connector name .* is invalid/,
    );
  }
  assert.match(
    refusal(() => defineConnector({ name: 'Smtp', commands: { SendEmail } })),
    /"Smtp"/,
  );
  for (const name of ['smtp', 'google_drive', 'aws-s3', 'x2']) {
    assert.equal(defineConnector({ name, commands: { SendEmail } }).name, name);
  }
});

test('a command export that is not PascalCase is refused, naming the connector and the export', () => {
  for (const exportName of ['sendEmail', 'send_email', 'Send_Email', 'default', '2Send']) {
    const message = refusal(() => defineConnector({ name: 'smtp', commands: { [exportName]: SendEmail } }));
    assert.match(message, /connector "smtp"/);
    assert.ok(message.includes(`"${exportName}"`), message);
    assert.match(message, /PascalCase/);
  }
});

test('an export that is not a command is refused, naming the connector, the export and what it is', () => {
  const helper = () => 'not a command';
  assert.equal(
    refusal(() => defineConnector({ name: 'http', commands: { SendEmail, helper } })),
    'connector "http": export "helper" is not a command made by defineCommand (got a function)',
  );
  assert.match(
    refusal(() => defineConnector({ name: 'http', commands: { Timeout: 30 } })),
    /connector "http": export "Timeout" is not a command .*\(got a number\)/,
  );
});

test('a connector without commands is refused', () => {
  assert.equal(
    refusal(() => defineConnector({ name: 'empty', commands: {} })),
    'connector "empty" has no commands',
  );
});

test('a parameter id with the reserved spiff__ prefix is refused, since the proxy never binds those keys', () => {
  const Bad = defineCommand({ params: { spiff__task_data: param.any() }, run: () => ({ body: null }) });
  assert.equal(
    refusal(() => defineConnector({ name: 'x', commands: { Bad } })),
    'connector "x": command "Bad": parameter "spiff__task_data" uses the reserved prefix "spiff__"',
  );
});

test('a command timeout that is not a positive number of milliseconds is refused', () => {
  for (const timeoutMs of [0, -5, Number.NaN]) {
    const Slow = defineCommand({ params: {}, timeoutMs, run: () => ({ body: null }) });
    assert.match(
      refusal(() => defineConnector({ name: 'x', commands: { Slow } })),
      /connector "x": command "Slow": timeoutMs must be a positive number/,
    );
  }
});

test('isConnector is false for things that only look a little like a connector', () => {
  for (const value of [null, 'smtp', { name: 'smtp' }, { name: 'smtp', commands: {} }]) {
    assert.equal(isConnector(value), false);
  }
});

test('a parameter not declared with a param builder is refused', () => {
  const Loose = defineCommand({ params: { host: 'str' } as never, run: () => ({ body: null }) });
  assert.equal(
    refusal(() => defineConnector({ name: 'x', commands: { Loose } })),
    'connector "x": command "Loose": parameter "host" is not declared with param.str/int/bool/any/enum',
  );
});

test('a command without a run function is refused', () => {
  const NoRun = defineCommand({ params: {}, run: undefined as never });
  assert.equal(
    refusal(() => defineConnector({ name: 'x', commands: { NoRun } })),
    'connector "x": command "NoRun": run must be a function',
  );
});
