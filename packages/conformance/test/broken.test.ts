import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConformanceOptions, type ConformanceResults, runConformance } from '../src/index.js';
import { envelope, type FakeProxyOptions, startFakeProxy } from './fake-proxy.js';

async function judge(
  proxy: FakeProxyOptions,
  kit: Omit<ConformanceOptions, 'baseUrl'> = {},
): Promise<ConformanceResults> {
  const fake = await startFakeProxy(proxy);
  try {
    return await runConformance({ baseUrl: fake.url, ...kit });
  } finally {
    await fake.close();
  }
}

function statusOf(results: ConformanceResults, id: string): string {
  const found = results.results.find((r) => r.id === id);
  assert.ok(found, `no check ${id} in ${results.results.map((r) => r.id).join(', ')}`);
  return found.status;
}

function lineOf(results: ConformanceResults, id: string): string {
  const found = results.results.find((r) => r.id === id);
  return found ? `${found.reason} -> ${found.backend ?? ''}` : '';
}

function failures(results: ConformanceResults): string[] {
  return results.results.filter((r) => r.status === 'FAIL').map((r) => r.id);
}

test('the fake proxy, correct as it starts, passes with only the open-proxy warning', async () => {
  const results = await judge({});
  assert.deepEqual(failures(results), []);
  assert.deepEqual(
    results.results.filter((r) => r.status === 'WARN').map((r) => r.id),
    ['api-key'],
  );
  assert.equal(results.ok, true);
  assert.equal(statusOf(results, 'envelope.spiff-logs'), 'PASS');
});

test('a wrong liveness status fails the liveness check', async () => {
  const results = await judge({ liveness: () => ({ status: 500, body: 'down' }) });
  assert.deepEqual(failures(results), ['liveness[/liveness]', 'liveness[/v1/liveness]']);
  assert.equal(results.ok, false);
});

test('an unknown command answered 200 is caught: the backend would store a result', async () => {
  const results = await judge({
    do: (call) => (call.id === 'demo/Echo' ? undefined : { status: 200, body: JSON.stringify(envelope({}, null)) }),
  });
  assert.deepEqual(failures(results), ['do.unknown-command']);
  assert.match(
    lineOf(results, 'do.unknown-command'),
    /200 success; an unknown command must be a 404 error envelope -> stores/,
  );
});

test('errors that are not JSON are caught as ServiceTaskOperatorReturnedInvalidJsonError', async () => {
  const html = { status: 400, body: '<h1>Bad Request</h1>', contentType: 'text/html' };
  const results = await judge({
    do: (call) => (typeof call.json === 'object' && call.json && 'message' in call.json ? undefined : html),
  });
  assert.equal(statusOf(results, 'do.missing-parameters[demo/Echo]'), 'FAIL');
  assert.match(
    lineOf(results, 'do.missing-parameters[demo/Echo]'),
    /not JSON -> raises BPMN error ServiceTaskOperatorReturnedInvalidJsonError \(status 400/,
  );
  assert.equal(statusOf(results, 'do.unknown-command'), 'FAIL');
  assert.equal(statusOf(results, 'do.body-array'), 'WARN', 'Arena never sends a bad body: HTML there is a warning');
});

test('a version-2 envelope without spiff__logs fails the logs check', async () => {
  const results = await judge({ withoutLogs: true });
  assert.deepEqual(failures(results), ['envelope.spiff-logs']);
  assert.match(lineOf(results, 'envelope.spiff-logs'), /lack a spiff__logs list/);
});

test('an API key the proxy ignores is caught, with and without a wrong key', async () => {
  const results = await judge({}, { apiKey: 'the-proxy-key' });
  assert.deepEqual(failures(results), ['api-key.missing', 'api-key.wrong']);
  assert.match(lineOf(results, 'api-key.missing'), /answers 200: the proxy ignores its API key/);
});

test('an API key checked by prefix is caught by the wrong-key check alone', async () => {
  const key = 'the-proxy-key';
  const results = await judge({ acceptsKey: (given) => given.startsWith(key) }, { apiKey: key });
  assert.equal(statusOf(results, 'api-key.missing'), 'PASS');
  assert.deepEqual(failures(results), ['api-key.wrong']);
  assert.match(
    lineOf(results, 'api-key.wrong'),
    /with a wrong key: GET \/v1\/commands answers 200: the proxy ignores its API key/,
  );
  const keyed = await judge({ apiKey: key }, { apiKey: key });
  assert.deepEqual(failures(keyed), []);
  assert.equal(statusOf(keyed, 'api-key.wrong'), 'PASS');
});

test("Python's 500 TypeError for a missing parameter is a clear warning: the backend retries it", async () => {
  const results = await judge({
    do: (call) =>
      call.id === 'demo/Echo' && typeof call.json === 'object' && call.json && !('message' in call.json)
        ? {
            status: 500,
            contentType: 'text/html; charset=utf-8',
            body: JSON.stringify({
              command_response: {},
              error: {
                message: "Echo.__init__() missing 1 required positional argument: 'message'",
                error_code: 'TypeError',
              },
            }),
          }
        : undefined,
  });
  assert.deepEqual(failures(results), []);
  assert.equal(statusOf(results, 'do.missing-parameters[demo/Echo]'), 'WARN');
  assert.match(
    lineOf(results, 'do.missing-parameters[demo/Echo]'),
    /500 TypeError: the proxy let the command fail instead of rejecting the request \(as Python proxies do\).* -> raises BPMN error TypeError \(status 500, retried if the task has retries\)/,
  );
});

test('logs that echo a parameter named like a secret fail the secrets check', async () => {
  const results = await judge({
    do: (call) => ({
      status: 400,
      body: JSON.stringify({
        ...envelope(null, { error_code: 'InvalidParameters', message: 'bad' }),
        spiff__logs: [`got ${call.text}`],
      }),
    }),
  });
  assert.deepEqual(failures(results), ['envelope.secrets']);
  assert.match(lineOf(results, 'envelope.secrets'), /hold a secret the kit sent \(as it is\)/);
});

test('a listing with malformed entries fails its shape check, naming the problems', async () => {
  const results = await judge({
    listing: [
      { id: 'demo/Echo', parameters: [{ id: 'message', type: 'str', required: true }] },
      { id: 'no-slash', parameters: [] },
      { id: 'a/b/c', parameters: [] },
      { id: 'demo/Float', parameters: [{ id: 'x', type: 'float', required: 'yes' }] },
    ],
  });
  assert.equal(statusOf(results, 'commands.shape'), 'FAIL');
  assert.match(
    lineOf(results, 'commands.shape'),
    /3 problems: "no-slash": the id must be "connector\/Command".*"a\/b\/c".*type "float"/,
  );
});

test('a Python-like proxy passes with its known weaknesses as warnings', async () => {
  const results = await judge({
    do: (call) => {
      if (call.id !== 'demo/Echo') {
        const notFound = {
          message: 'It either does not exist or does not inherit from spiffworkflow_connector_command.',
          error_code: 'command_not_found',
        };
        return {
          status: 404,
          contentType: 'text/html; charset=utf-8',
          body: JSON.stringify({ command_response: {}, error: notFound }),
        };
      }
      if (call.json === undefined)
        return {
          status: 400,
          contentType: 'text/html; charset=utf-8',
          body: '<!doctype html><title>400 Bad Request</title>',
        };
      if (Array.isArray(call.json))
        return {
          status: 500,
          contentType: 'text/html; charset=utf-8',
          body: '<!doctype html><title>500 Internal Server Error</title>',
        };
      if (typeof call.json === 'object' && call.json && 'message' in call.json) {
        // Python runs the command with whatever it was given.
        return { status: 200, body: JSON.stringify(envelope({ connector_response: String(call.json.message) }, null)) };
      }
      return undefined;
    },
  });
  assert.deepEqual(failures(results), []);
  for (const id of ['api-key', 'do.body-not-json', 'do.body-array', 'do.wrong-types[demo/Echo]']) {
    assert.equal(statusOf(results, id), 'WARN', id);
  }
  assert.equal(
    statusOf(results, 'do.unknown-command'),
    'PASS',
    'a JSON body served as text/html is JSON to the backend',
  );
  assert.match(
    lineOf(results, 'do.wrong-types[demo/Echo]'),
    /ran it with wrongly typed values -> stores \{body, mimetype, operator_identifier\}/,
  );
});

test('a baseline turns listed failures into expected ones, and names entries that pass now or match nothing', async () => {
  const results = await judge(
    {
      liveness: (path) =>
        path === '/liveness' ? { status: 500, body: 'down' } : { status: 200, body: '{"ok": true}' },
    },
    { baseline: ['liveness[/liveness]', 'commands', 'no.such-check'] },
  );
  assert.equal(results.ok, true);
  assert.equal(results.summary.failed, 0);
  assert.equal(results.summary.expectedFailures, 1);
  assert.deepEqual(results.staleBaseline, ['commands']);
  assert.deepEqual(results.unknownBaseline, ['no.such-check']);
});

test('redirects of /v1/do are followed as requests follows them; only 307/308 keep the POST', async () => {
  const redirecting = (status: number): FakeProxyOptions => ({
    do: (call, req) =>
      req.url?.includes('hop=1') ? undefined : { status, body: '', headers: { Location: `/v1/do/${call.id}?hop=1` } },
  });
  const kept = await judge(redirecting(307));
  assert.deepEqual(failures(kept), []);
  assert.match(lineOf(kept, 'do.redirects'), /redirects, all 307\/308/);
  const lost = await judge(redirecting(302));
  assert.ok(failures(lost).includes('do.redirects'));
  assert.match(lineOf(lost, 'do.redirects'), /redirected with 302: only 307\/308 keep the POST and its body/);
});

test('a proxy that does not answer at all is one failure, not a cascade', async () => {
  const fake = await startFakeProxy();
  const url = fake.url;
  await fake.close();
  const results = await runConformance({ baseUrl: url, timeoutMs: 2_000 });
  assert.deepEqual(failures(results), ['liveness[/liveness]', 'liveness[/v1/liveness]', 'reachable']);
  assert.match(lineOf(results, 'liveness[/liveness]'), /no answer \(ConnectionError/);
});
