import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defineCommand,
  defineConnector,
  defineServices,
  invoke,
  param,
  readConnectorValues,
  startRegistry,
} from '@connector-proxy/core';

/** A connector whose services count the resources they hold open, as a pool would. */
function pooledConnector(name: string, events: string[]) {
  const services = defineServices({
    config: {
      SIZE: param.int('Pool size').default(2),
      TOKEN: param.str('Upstream token').secret().optional(),
    },
    setup(config) {
      events.push(`setup ${name} ${config.SIZE}`);
      return { open: config.SIZE, token: config.TOKEN };
    },
    close(s) {
      events.push(`close ${name}`);
      s.open = 0;
    },
  });
  const Use = defineCommand({
    services,
    params: {},
    run: (_args, { services: s, config }) => ({ body: { open: s.open, size: config.SIZE, token: s.token ?? null } }),
  });
  return { connector: defineConnector({ name, services, commands: { Use } }), services };
}

test('startRegistry checks configuration, runs setup once per connector and hands services to commands', async () => {
  const events: string[] = [];
  const { connector } = pooledConnector('pool', events);
  const registry = await startRegistry([connector], { env: { CONNECTOR_POOL_SIZE: '5', UNRELATED: 'x' } });
  assert.deepEqual(events, ['setup pool 5']);
  const target = registry.target('pool', 'Use');
  assert.ok(target);
  const run = await invoke(target, {});
  assert.equal(run.kind, 'v2');
  if (run.kind === 'v2') assert.deepEqual(run.envelope.command_response.body, { open: 5, size: 5, token: null });
  await registry.close();
  await registry.close();
  assert.deepEqual(events, ['setup pool 5', 'close pool'], 'close runs once however often it is called');
  assert.equal((target.services as { open: number }).open, 0, 'the resources are released');
});

test('a bad configuration value stops startup with one line naming the variable, before any setup', async () => {
  const events: string[] = [];
  const { connector } = pooledConnector('pool', events);
  await assert.rejects(startRegistry([connector], { env: { CONNECTOR_POOL_SIZE: 'many' } }), {
    name: 'DefinitionError',
    message: 'CONNECTOR_POOL_SIZE must be an integer, got "many"',
  });
  assert.deepEqual(events, []);
});

test('when a setup fails, the connectors already set up are closed and the error names the connector', async () => {
  const events: string[] = [];
  const first = pooledConnector('first', events).connector;
  const broken = defineConnector({
    name: 'broken',
    services: defineServices({
      setup() {
        throw new Error('cannot reach the database');
      },
    }),
    commands: { Use: defineCommand({ params: {}, run: () => ({ body: null }) }) },
  });
  await assert.rejects(
    startRegistry([first, broken]),
    /^DefinitionError: connector "broken": setup failed: cannot reach the database$/,
  );
  assert.deepEqual(events, ['setup first 2', 'close first']);
});

test('secret configuration values are masked in answers like secret parameters', async () => {
  const events: string[] = [];
  const { connector } = pooledConnector('pool', events);
  const registry = await startRegistry([connector], { env: { CONNECTOR_POOL_TOKEN: 'tok-3141592' } });
  const target = registry.target('pool', 'Use');
  assert.ok(target);
  const run = await invoke(target, {});
  assert.ok(run.kind === 'v2' && !JSON.stringify(run.envelope).includes('tok-3141592'));
  await registry.close();
});

test('CONNECTOR_<NAME>_<KEY> goes to the longest loaded connector name that matches, with - read as _', () => {
  const values = readConnectorValues(
    {
      CONNECTOR_AWS_S3_REGION: 'eu-west-1',
      CONNECTOR_AWS_REGION: 'us-east-1',
      CONNECTOR_GOOGLE_SHEETS_KEY: 'k',
      CONNECTOR_PROXY_PORT: '7004',
      CONNECTOR_UNKNOWN_X: 'y',
    },
    ['aws', 'aws_s3', 'google-sheets'],
  );
  assert.deepEqual(Object.fromEntries(values), {
    aws_s3: { REGION: 'eu-west-1' },
    aws: { REGION: 'us-east-1' },
    'google-sheets': { KEY: 'k' },
  });
  assert.deepEqual(Object.fromEntries(readConnectorValues({ CONNECTOR_AWS_S3_REGION: 'x' }, ['aws'])), {
    aws: { S3_REGION: 'x' },
  });
});

test('a command may only name its own connector services', () => {
  const { services } = pooledConnector('a', []);
  const Use = defineCommand({ services, params: {}, run: () => ({ body: null }) });
  assert.throws(
    () => defineConnector({ name: 'b', commands: { Use } }),
    /names services, but the connector declares none/,
  );
  const other = defineServices({});
  assert.throws(() => defineConnector({ name: 'b', services: other, commands: { Use } }), /other than its connector's/);
});

test('context.redact masks a derived secret everywhere the answer leaves: logs, error, body and headers', async () => {
  const Leaky = defineCommand({
    params: { user: param.str(), password: param.str().secret() },
    run({ user, password }, { log, redact }) {
      const header = `Basic ${btoa(`${user}:${password}`)}`;
      redact(header);
      log(`sending ${header}`);
      return { body: { echoed: header, nested: [{ auth: header }] }, headers: { 'x-seen': header } };
    },
  });
  const run = await invoke(Leaky, { user: 'ada', password: 'lovelace-99' });
  const text = JSON.stringify(run);
  assert.ok(!text.includes(btoa('ada:lovelace-99')), text);
  assert.ok(!text.includes('lovelace-99'), text);
  assert.ok(run.kind === 'v2');
  if (run.kind === 'v2') assert.deepEqual(run.envelope.spiff__logs, ['sending ***']);
});

test('a command stopped by the shutdown signal answers ProxyShuttingDown (503), never CommandTimeout', async () => {
  const Slow = defineCommand({
    params: {},
    run: (_args, { signal }) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
  });
  const stop = new AbortController();
  const running = invoke(Slow, {}, { signal: stop.signal, timeoutMs: 10_000 });
  setTimeout(() => stop.abort(new Error('the proxy is shutting down')), 10);
  const run = await running;
  assert.ok(run.kind === 'v2');
  if (run.kind === 'v2') {
    assert.equal(run.envelope.error?.error_code, 'ProxyShuttingDown');
    assert.equal(run.envelope.command_response.http_status, 503);
    assert.equal(run.failure, 'command');
  }
  const late = await invoke(Slow, {}, { signal: stop.signal });
  assert.ok(
    late.kind === 'v2' && late.envelope.error?.error_code === 'ProxyShuttingDown',
    'a request after the stop is not run',
  );
});
