import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readConfig } from '@connector-proxy/server';
import { loadConnectors, type RunningServer, startServer } from '@connector-proxy/server/node';
import { type ConformanceCase, type ConformanceResults, formatReport, runConformance } from '../src/index.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Our proxy with every bundled connector, on a free port of 127.0.0.1. */
async function startOurs(env: Record<string, string> = {}): Promise<RunningServer> {
  const { registry } = await loadConnectors({ root: repo });
  const config = readConfig({ CONNECTOR_PROXY_PORT: '0', CONNECTOR_PROXY_LOG_FORMAT: 'off', ...env });
  return startServer(config, registry, { write: () => {} });
}

/** An upstream for connector-http to call: 404 with a JSON body, on 127.0.0.1. */
const upstream = createServer((_req, res) => {
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end('{"missing": true}');
});
let upstreamUrl = '';

before(async () => {
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

function cases(): ConformanceCase[] {
  return [
    {
      name: 'example answers hello',
      command: 'example/Example',
      params: { message: 'hello' },
      expect: {
        outcome: 'result',
        status: 200,
        result: {
          body: { connector_response: "You passed the example connector: 'hello'. Have a good day!" },
          mimetype: 'application/json',
          operator_identifier: 'example/Example',
        },
      },
    },
    {
      name: 'an upstream 404 is HttpError404',
      command: 'http/GetRequestV2',
      params: { url: `${upstreamUrl}/thing`, basic_auth_username: 'u', basic_auth_password: 'a-password-of-the-user' },
      expect: { outcome: 'error', status: 200, errorCode: 'HttpError404' },
    },
  ];
}

function problems(results: ConformanceResults): string[] {
  return results.results
    .filter((r) => r.status === 'FAIL' || r.status === 'WARN')
    .map((r) => `${r.status} ${r.id}: ${r.reason}`);
}

test('our proxy, open, passes every check; the only warning is that it is open', async () => {
  const server = await startOurs();
  try {
    const results = await runConformance({ baseUrl: server.url, cases: cases() });
    assert.deepEqual(problems(results), [
      'WARN api-key: the proxy answers GET /v1/commands without an API key: anyone who reaches it can run its commands (set one, and give it with --api-key to check it)',
    ]);
    assert.ok(results.summary.passed >= 40, formatReport(results));
    for (const id of [
      'commands.shape',
      'do.unknown-command',
      'do.missing-parameters[smtp/SendEmail]',
      'do.wrong-types[http/GetRequestV2]',
      'envelope.spiff-logs',
      'envelope.secrets',
    ]) {
      assert.equal(results.results.find((r) => r.id === id)?.status, 'PASS', id);
    }
    assert.match(
      results.results.find((r) => r.id === 'case[an upstream 404 is HttpError404]')?.backend ?? '',
      /^raises BPMN error HttpError404 \(status 404, not retried\)$/,
    );
  } finally {
    await server.close();
  }
});

test('our proxy with an API key passes every check, with no warning', async () => {
  const server = await startOurs({ CONNECTOR_PROXY_API_KEY: 'our-secret-api-key' });
  try {
    const results = await runConformance({ baseUrl: server.url, apiKey: 'our-secret-api-key', cases: cases() });
    assert.deepEqual(problems(results), []);
    assert.equal(results.results.find((r) => r.id === 'api-key.missing')?.status, 'PASS');
    assert.equal(results.results.find((r) => r.id === 'api-key.wrong')?.status, 'PASS');
    assert.equal(results.ok, true);
  } finally {
    await server.close();
  }
});

test('a case whose expectation is wrong fails, naming the first difference', async () => {
  const server = await startOurs();
  try {
    const results = await runConformance({
      baseUrl: server.url,
      commands: ['example/Example'],
      cases: [
        {
          name: 'wrong text',
          command: 'example/Example',
          params: { message: 'hi' },
          expect: { outcome: 'result', result: { body: { connector_response: 'nope' } } },
        },
        {
          name: 'not an error',
          command: 'example/Example',
          params: { message: 'hi' },
          expect: { outcome: 'error', errorCode: 'Boom' },
        },
      ],
    });
    const line = (id: string) => results.results.find((r) => r.id === id)?.reason ?? '';
    assert.match(
      line('case[wrong text]'),
      /^example\/Example: result\.body\.connector_response: expected "nope", got "You passed/,
    );
    assert.match(line('case[not an error]'), /^example\/Example: expected error Boom, the backend sees result$/);
    assert.equal(results.summary.failed, 2);
  } finally {
    await server.close();
  }
});
