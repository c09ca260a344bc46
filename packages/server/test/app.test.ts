import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CommandError,
  createRegistry,
  defineCommand,
  defineConnector,
  defineServices,
  param,
  startRegistry,
} from '@connector-proxy/core';
import { createApp, type RequestLogEntry, statusFor } from '../src/app.js';
import { readJson } from './json.js';

const Echo = defineCommand({
  description: 'Echo the parameters and task data.',
  params: {
    text: param.str('Some text'),
    count: param.int().optional(),
    token: param.str().secret().optional(),
  },
  run({ text, count, token }, { taskData, task, log, config }) {
    log(`echo with token ${token ?? 'none'}`);
    return { body: { text, count: count ?? null, taskData, task, config } };
  },
});

const Fail = defineCommand({
  params: { kind: param.enum(['expected', 'crash', 'legacy', 'legacy-text', 'legacy-204']) },
  run({ kind }) {
    if (kind === 'expected') throw new CommandError('HttpError404', 'upstream said 404', { httpStatus: 404 });
    if (kind === 'legacy') return { response: { hello: 'world' }, status: 201, mimetype: 'application/json' };
    if (kind === 'legacy-text') return { response: 'plain words', status: 202, mimetype: 'text/plain' };
    if (kind === 'legacy-204') return { response: '', status: 204, mimetype: 'text/plain' };
    throw new RangeError('out of range');
  },
});

const testServices = defineServices({ config: { REGION: param.str('Where').optional() } });
const registry = await startRegistry(
  [defineConnector({ name: 'test', commands: { Echo, Fail }, services: testServices })],
  {
    env: { CONNECTOR_TEST_REGION: 'eu' },
  },
);

const JSON_HEADERS = { 'Content-Type': 'application/json' };

function post(app: ReturnType<typeof createApp>, path: string, body: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('routes without an API key', () => {
  const app = createApp(registry);

  test('the liveness probes answer {"ok": true}', async () => {
    for (const path of ['/liveness', '/v1/liveness']) {
      const res = await app.request(path);
      assert.equal(res.status, 200);
      assert.deepEqual(await readJson(res), { ok: true });
    }
  });

  test('the home page is HTML that names the listing and lists the commands', async () => {
    const res = await app.request('/');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /\/v1\/commands/);
    assert.match(html, /test\/Echo/);
  });

  test('GET /v1/commands lists each command with id, type and required only', async () => {
    const res = await app.request('/v1/commands');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await readJson(res), [
      {
        id: 'test/Echo',
        parameters: [
          { id: 'text', type: 'str', required: true },
          { id: 'count', type: 'int', required: false },
          { id: 'token', type: 'str', required: false },
        ],
      },
      { id: 'test/Fail', parameters: [{ id: 'kind', type: 'str', required: true }] },
    ]);
  });

  test('GET /v1/commands?detailed=true adds descriptions, enums and secret flags', async () => {
    const listing = await readJson(await app.request('/v1/commands?detailed=true'));
    assert.equal(listing[0].description, 'Echo the parameters and task data.');
    assert.equal(listing[0].parameters[2].secret, true);
    assert.deepEqual(listing[1].parameters[0].enum, ['expected', 'crash', 'legacy', 'legacy-text', 'legacy-204']);
  });

  test('GET /v1/auths is an empty list while no connector declares auths', async () => {
    const res = await app.request('/v1/auths');
    assert.equal(res.status, 200);
    assert.deepEqual(await readJson(res), []);
  });

  test('a successful command answers 200 with the version-2 envelope', async () => {
    const res = await post(app, '/v1/do/test/Echo', {
      text: 'hi',
      count: '3',
      spiff__task_data: { a: 1 },
      spiff__callback_url: 'http://backend/callback',
      spiff__process_instance_id: 42,
      spiff__process_model_identifier: 'group/model',
      spiff__task_id: 'task-uuid',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await readJson(res), {
      command_response: {
        body: {
          text: 'hi',
          count: 3,
          taskData: { a: 1 },
          task: {
            callbackUrl: 'http://backend/callback',
            processInstanceId: '42',
            processModelIdentifier: 'group/model',
            taskId: 'task-uuid',
          },
          config: { REGION: 'eu' },
        },
        mimetype: 'application/json',
      },
      error: null,
      command_response_version: 2,
      spiff__logs: ['echo with token none'],
    });
  });

  test('GET /v1/do runs the command too, taking parameters from the query string', async () => {
    const res = await app.request('/v1/do/test/Echo?text=from-query');
    assert.equal(res.status, 200);
    const envelope = await readJson(res);
    assert.equal(envelope.command_response.body.text, 'from-query');
  });

  test('an unknown connector or command answers 404 command_not_found', async () => {
    for (const path of ['/v1/do/nope/Echo', '/v1/do/test/Nope', '/v1/do/test/__proto__', '/v1/do/constructor/x']) {
      const res = await post(app, path, {});
      assert.equal(res.status, 404, path);
      const envelope = await readJson(res);
      assert.equal(envelope.error.error_code, 'command_not_found');
      assert.deepEqual(envelope.command_response, {});
    }
  });

  test('malformed JSON answers 400 InvalidRequest and names the problem', async () => {
    const res = await post(app, '/v1/do/test/Echo', '{"text": ');
    assert.equal(res.status, 400);
    const envelope = await readJson(res);
    assert.equal(envelope.error.error_code, 'InvalidRequest');
    assert.match(envelope.error.message, /not valid JSON/);
    assert.deepEqual(envelope.spiff__logs, []);
  });

  test('a body that is JSON but not an object answers 400 InvalidRequest', async () => {
    for (const body of ['[1,2]', '"text"', '42', 'null', 'true']) {
      const res = await post(app, '/v1/do/test/Echo', body);
      assert.equal(res.status, 400, body);
      assert.equal((await readJson(res)).error.error_code, 'InvalidRequest');
    }
  });

  test('missing and mistyped parameters answer 400 InvalidParameters naming each one', async () => {
    const res = await post(app, '/v1/do/test/Echo', { count: 'abc' });
    assert.equal(res.status, 400);
    const envelope = await readJson(res);
    assert.equal(envelope.error.error_code, 'InvalidParameters');
    assert.match(envelope.error.message, /text is required/);
    assert.match(envelope.error.message, /count must be an integer/);
  });

  test('an expected failure answers 200 with its code and upstream status', async () => {
    const res = await post(app, '/v1/do/test/Fail', { kind: 'expected' });
    assert.equal(res.status, 200);
    const envelope = await readJson(res);
    assert.deepEqual(envelope.error, { error_code: 'HttpError404', message: 'upstream said 404' });
    assert.equal(envelope.command_response.http_status, 404);
  });

  test('an unexpected throw answers 500 with the error class name as the code', async () => {
    const res = await post(app, '/v1/do/test/Fail', { kind: 'crash' });
    assert.equal(res.status, 500);
    assert.deepEqual((await readJson(res)).error, { error_code: 'RangeError', message: 'out of range' });
  });

  test('a legacy result is answered with its own status, mimetype and body, as the Python proxy does', async () => {
    const json = await post(app, '/v1/do/test/Fail', { kind: 'legacy' });
    assert.equal(json.status, 201);
    assert.match(json.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await readJson(json), { hello: 'world' });

    const text = await post(app, '/v1/do/test/Fail', { kind: 'legacy-text' });
    assert.equal(text.status, 202);
    assert.match(text.headers.get('content-type') ?? '', /text\/plain/);
    assert.equal(await text.text(), 'plain words');

    const empty = await post(app, '/v1/do/test/Fail', { kind: 'legacy-204' });
    assert.equal(empty.status, 204);
  });

  test('__proto__ and constructor keys in a body reach neither prototypes nor parameters', async () => {
    const res = await post(
      app,
      '/v1/do/test/Echo',
      '{"text":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"spiff__task_data":{"__proto__":{"polluted":true}}}',
    );
    assert.equal(res.status, 200);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    const envelope = await readJson(res);
    assert.match(envelope.spiff__logs.join('\n'), /ignored unknown parameters: __proto__, constructor/);
  });

  test('a secret parameter never appears in the logs', async () => {
    const res = await post(app, '/v1/do/test/Echo', { text: 'x', token: 's3cr3t-value' });
    const envelope = await readJson(res);
    assert.deepEqual(envelope.spiff__logs, ['echo with token ***']);
  });

  test('an unknown path answers a JSON 404', async () => {
    const res = await app.request('/v2/whatever');
    assert.equal(res.status, 404);
    assert.equal((await readJson(res)).error, 'Not Found');
  });
});

describe('body limit', () => {
  const app = createApp(registry, { bodyLimitBytes: 1024 });

  test('a body over the limit answers 413 with an InvalidRequest envelope', async () => {
    const res = await post(app, '/v1/do/test/Echo', { text: 'x'.repeat(2048) });
    assert.equal(res.status, 413);
    const envelope = await readJson(res);
    assert.equal(envelope.error.error_code, 'InvalidRequest');
    assert.match(envelope.error.message, /larger than 1024 bytes/);
  });

  test('a chunked body over the limit (no Content-Length) is refused as well', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(' '.repeat(512)));
        controller.close();
      },
    });
    const res = await app.request('/v1/do/test/Echo', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 413);
  });

  test('a body under the limit is served', async () => {
    const res = await post(app, '/v1/do/test/Echo', { text: 'x'.repeat(100) });
    assert.equal(res.status, 200);
  });
});

describe('API key', () => {
  const app = createApp(registry, { apiKey: 'the-key', corsOrigins: ['https://arena.example.org'] });
  const key = { 'Spiff-Connector-Proxy-Api-Key': 'the-key' };

  test('the protected routes answer 401 {"error": "Unauthorized"} without the key or with a wrong one', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'Spiff-Connector-Proxy-Api-Key': 'wrong' },
      { 'Spiff-Connector-Proxy-Api-Key': '' },
    ];
    for (const headers of attempts) {
      for (const path of ['/v1/commands', '/v1/auths']) {
        const res = await app.request(path, { headers });
        assert.equal(res.status, 401, path);
        assert.deepEqual(await readJson(res), { error: 'Unauthorized' });
      }
      const res = await post(app, '/v1/do/test/Echo', { text: 'x' }, headers);
      assert.equal(res.status, 401);
    }
  });

  test('the protected routes answer normally with the right key', async () => {
    assert.equal((await app.request('/v1/commands', { headers: key })).status, 200);
    assert.equal((await app.request('/v1/auths', { headers: key })).status, 200);
    assert.equal((await post(app, '/v1/do/test/Echo', { text: 'x' }, key)).status, 200);
  });

  test('liveness and the home page stay open, and the home page hides the commands', async () => {
    assert.equal((await app.request('/liveness')).status, 200);
    assert.equal((await app.request('/v1/liveness')).status, 200);
    const home = await app.request('/');
    assert.equal(home.status, 200);
    assert.doesNotMatch(await home.text(), /test\/Echo/);
  });

  test('a CORS preflight from an allowed origin passes without the key and allows the key header', async () => {
    const res = await app.request('/v1/do/test/Echo', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://arena.example.org',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,spiff-connector-proxy-api-key',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://arena.example.org');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Spiff-Connector-Proxy-Api-Key/i);
  });

  test('an origin that is not allowed gets no CORS allowance', async () => {
    const res = await app.request('/v1/commands', { headers: { ...key, Origin: 'https://evil.example.com' } });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});

describe('request log', () => {
  test('each request is logged with its command and error code, never its body or headers', async () => {
    const entries: RequestLogEntry[] = [];
    const app = createApp(registry, { log: (entry) => entries.push(entry), apiKey: 'k' });
    await post(app, '/v1/do/test/Echo', { text: 'x', token: 'hush-hush' }, { 'Spiff-Connector-Proxy-Api-Key': 'k' });
    await post(app, '/v1/do/test/Fail', { kind: 'expected' }, { 'Spiff-Connector-Proxy-Api-Key': 'k' });
    assert.equal(entries.length, 2);
    assert.equal(entries[0]?.command, 'test/Echo');
    assert.equal(entries[0]?.status, 200);
    assert.equal(entries[1]?.errorCode, 'HttpError404');
    const text = JSON.stringify(entries);
    assert.doesNotMatch(text, /hush-hush/);
    assert.doesNotMatch(text, /"k"/);
  });
});

describe('statusFor', () => {
  test('maps every outcome to the status table of the style guide', () => {
    assert.equal(statusFor(null), 200);
    assert.equal(statusFor('command'), 200);
    assert.equal(statusFor('crash'), 500);
    assert.equal(statusFor('not_found'), 404);
    assert.equal(statusFor('invalid_request'), 400);
    assert.equal(statusFor('invalid_parameters'), 400);
    assert.equal(statusFor('too_large'), 413);
  });
});

describe('registry swapping', () => {
  test('a getter registry lets a development server swap commands between requests', async () => {
    const Other = defineCommand({ params: {}, run: () => ({ body: 'other' }) });
    let current = registry;
    const app = createApp(() => current);
    assert.equal((await readJson(await app.request('/v1/commands'))).length, 2);
    current = createRegistry([defineConnector({ name: 'other', commands: { Other } })]);
    const listing = await readJson(await app.request('/v1/commands'));
    assert.deepEqual(
      listing.map((e: { id: string }) => e.id),
      ['other/Other'],
    );
    assert.equal((await post(app, '/v1/do/other/Other', {})).status, 200);
  });
});

describe('metrics', () => {
  test('GET /metrics counts requests and command runs by code, with duration histograms', async () => {
    const app = createApp(registry, { metrics: true });
    await post(app, '/v1/do/test/Echo', { text: 'x' });
    await post(app, '/v1/do/test/Fail', { kind: 'expected' });
    await post(app, '/v1/do/test/Fail', { kind: 'expected' });
    await post(app, '/v1/do/test/Nope', {});
    await app.request('/random/scanner/path');
    const res = await app.request('/metrics');
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /connector_proxy_command_runs_total\{command="test\/Echo",error_code=""\} 1/);
    assert.match(text, /connector_proxy_command_runs_total\{command="test\/Fail",error_code="HttpError404"\} 2/);
    assert.match(text, /connector_proxy_requests_total\{route="\/v1\/do",status="404"\} 1/);
    assert.match(text, /connector_proxy_requests_total\{route="other",status="404"\} 1/);
    assert.match(text, /connector_proxy_command_duration_seconds_count\{command="test\/Fail"\} 2/);
    assert.doesNotMatch(text, /Nope|scanner/);
  });

  test('metrics are off unless asked for, and behind the API key when one is set', async () => {
    assert.equal((await createApp(registry).request('/metrics')).status, 404);
    const guarded = createApp(registry, { metrics: true, apiKey: 'k' });
    assert.equal((await guarded.request('/metrics')).status, 401);
    const res = await guarded.request('/metrics', { headers: { 'Spiff-Connector-Proxy-Api-Key': 'k' } });
    assert.equal(res.status, 200);
  });
});

describe('methods', () => {
  const app = createApp(registry, { apiKey: 'k' });
  const key = { 'Spiff-Connector-Proxy-Api-Key': 'k' };

  test('a known path asked with another method answers 405 with Allow', async () => {
    const listing = await app.request('/v1/commands', { method: 'POST', headers: key });
    assert.equal(listing.status, 405);
    assert.equal(listing.headers.get('allow'), 'GET, HEAD');
    const run = await app.request('/v1/do/test/Echo', { method: 'PUT', headers: key });
    assert.equal(run.status, 405);
    assert.equal(run.headers.get('allow'), 'GET, POST');
  });

  test('OPTIONS on a known path answers 204 with Allow, without the API key', async () => {
    const res = await app.request('/v1/do/test/Echo', { method: 'OPTIONS' });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('allow'), 'GET, POST');
  });

  test('a wrong method never runs a command or bypasses the API key', async () => {
    const res = await app.request('/v1/do/test/Echo', { method: 'DELETE' });
    assert.equal(res.status, 401);
  });
});

describe('results JSON cannot carry', () => {
  const Unsendable = defineCommand({
    params: { kind: param.enum(['bigint', 'nan', 'cycle', 'deep']) },
    run({ kind }, { log }) {
      log('built the result');
      if (kind === 'bigint') return { body: { n: 10n ** 30n } };
      if (kind === 'nan') return { body: { n: Number.NaN } };
      if (kind === 'cycle') {
        const cycle: Record<string, unknown> = {};
        cycle.self = cycle;
        return { body: cycle };
      }
      let deep: unknown[] = [];
      for (let i = 0; i < 200_000; i++) deep = [deep];
      return { body: deep };
    },
  });
  const app = createApp(createRegistry([defineConnector({ name: 'bad', commands: { Unsendable } })]));

  test('a body that JSON cannot carry answers 500 InvalidCommandResult with the logs, not a bare crash', async () => {
    for (const kind of ['nan', 'cycle', 'deep']) {
      const res = await post(app, '/v1/do/bad/Unsendable', { kind });
      assert.equal(res.status, 500, kind);
      const envelope = await readJson(res);
      assert.equal(envelope.error.error_code, 'InvalidCommandResult', kind);
      assert.match(envelope.error.message, /cannot be sent as JSON/);
      assert.deepEqual(envelope.spiff__logs, ['built the result']);
    }
  });

  test('a NaN in the body is named by its path', async () => {
    const envelope = await readJson(await post(app, '/v1/do/bad/Unsendable', { kind: 'nan' }));
    assert.match(envelope.error.message, /command_response\.body\.n is NaN/);
  });

  test('a bigint in the body is written as its digits', async () => {
    const res = await post(app, '/v1/do/bad/Unsendable', { kind: 'bigint' });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /"body":\{"n":1000000000000000000000000000000\}/);
  });

  test('deeply nested task data is refused at the door with a 400, and the app keeps answering', async () => {
    const app = createApp(registry);
    const body = `{"text":"x","spiff__task_data":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const res = await post(app, '/v1/do/test/Echo', body);
    assert.equal(res.status, 400);
    assert.equal((await readJson(res)).error.error_code, 'InvalidRequest');
    assert.equal((await post(app, '/v1/do/test/Echo', { text: 'next' })).status, 200);
  });
});
