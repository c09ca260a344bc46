import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ConformanceResults, runConformance, startCallbackEndpoint } from '../src/index.js';
import { envelope, type FakeAnswer, type FakeCall, startFakeProxy } from './fake-proxy.js';

const LISTING = [{ id: 'slow/Job', parameters: [{ id: 'seconds', type: 'int', required: true }] }];
const ACCEPTED: FakeAnswer = {
  status: 202,
  body: JSON.stringify(envelope({ job: 'j-1', status_url: '/v1/jobs/j-1' }, null)),
};

/** How the fake worker delivers: where, how, with what; every field left out is done right. */
interface Delivery {
  method?: string;
  url?: (callbackUrl: string) => string;
  headers?: Record<string, string>;
  body?: unknown;
  times?: number;
  delayMs?: number;
}

const RESULT = envelope({ waited: 1 }, null);

/** A proxy whose slow/Job answers 202 and then PUTs the callback as `delivery` says. */
function asyncProxy(delivery: Delivery | undefined, answer: FakeAnswer = ACCEPTED) {
  return {
    listing: LISTING,
    do: (call: FakeCall): FakeAnswer | undefined => {
      if (call.id !== 'slow/Job') return undefined;
      const body = typeof call.json === 'object' && call.json !== null ? (call.json as Record<string, unknown>) : {};
      if (!Number.isInteger(body.seconds)) {
        return {
          status: 400,
          body: JSON.stringify({
            ...envelope(null, { error_code: 'InvalidParameters', message: 'seconds must be an integer' }),
            command_response: {},
          }),
        };
      }
      const callbackUrl = String(body.spiff__callback_url);
      if (delivery) {
        setTimeout(async () => {
          for (let i = 0; i < (delivery.times ?? 1); i++) {
            await fetch(delivery.url?.(callbackUrl) ?? callbackUrl, {
              method: delivery.method ?? 'PUT',
              headers: delivery.headers ?? { 'Content-Type': 'application/json', 'SpiffWorkflow-Api-Key': 'arena-key' },
              body: JSON.stringify(delivery.body ?? RESULT),
            }).catch(() => undefined);
          }
        }, delivery.delayMs ?? 20);
      }
      return answer;
    },
  };
}

async function judge(proxy: ReturnType<typeof asyncProxy>, callbackTimeoutMs = 3_000): Promise<ConformanceResults> {
  const fake = await startFakeProxy(proxy);
  try {
    return await runConformance({
      baseUrl: fake.url,
      longRunning: { command: 'slow/Job', params: { seconds: '1' } },
      callbackTimeoutMs,
      callbackGraceMs: 200,
    });
  } finally {
    await fake.close();
  }
}

function line(results: ConformanceResults, id: string): string {
  const found = results.results.find((r) => r.id === id);
  assert.ok(found, `no check ${id}`);
  return `${found.status} ${found.reason} -> ${found.backend ?? ''}`;
}

test('a proxy that answers 202 and PUTs a good callback passes the long-running checks', async () => {
  const results = await judge(asyncProxy({}));
  assert.match(
    line(results, 'long-running.accepted'),
    /^PASS slow\/Job: 202 with a version-2 envelope -> waits for the callback/,
  );
  assert.match(
    line(results, 'long-running.callback'),
    /^PASS PUT to the exact callback URL with api-key credentials, \d\.\d s after the 202 -> stores command_response.body \(an object with waited\)/,
  );
  assert.match(line(results, 'long-running.once'), /^PASS delivered once/);
  assert.equal(results.ok, true);
});

test('an error callback with a body passes, and says what a boundary event would do', async () => {
  const failed = envelope(null, { error_code: 'JobFailed', message: 'it broke' }, { http_status: 502 });
  const results = await judge(asyncProxy({ body: failed }));
  assert.match(
    line(results, 'long-running.callback'),
    /^PASS .* -> raises BPMN error JobFailed \(status 502\): a boundary event catching it/,
  );
});

test('a callback without Arena credentials is refused with 401, and caught', async () => {
  const results = await judge(
    asyncProxy({ headers: { 'Content-Type': 'application/json', 'Spiff-Connector-Proxy-Api-Key': 'proxy-key' } }),
  );
  assert.match(
    line(results, 'long-running.callback'),
    /^FAIL Arena answers 401: .*only the proxy's own API key, which Arena does not accept/,
  );
  assert.equal(results.ok, false);
});

test('a callback body without command_response.body is caught as invalid_callback_body', async () => {
  const results = await judge(
    asyncProxy({
      body: { error: { error_code: 'JobFailed', message: 'x' }, command_response_version: 2, spiff__logs: [] },
    }),
  );
  assert.match(
    line(results, 'long-running.callback'),
    /^FAIL Arena answers 400 invalid_callback_body: Service task callbacks must provide/,
  );
});

test('a callback that is not JSON, or comes as POST, is caught', async () => {
  const text = await judge(asyncProxy({ headers: { 'Content-Type': 'text/plain', Authorization: 'Bearer t' } }));
  assert.match(line(text, 'long-running.callback'), /^FAIL Arena answers 400 invalid_mimetype/);
  const post = await judge(asyncProxy({ method: 'POST' }));
  assert.match(line(post, 'long-running.callback'), /^FAIL the callback came as POST; Arena serves it as PUT only/);
});

test('a callback to another URL, or none at all, fails at the timeout', async () => {
  const elsewhere = await judge(asyncProxy({ url: (u) => u.replace('/callback', '/done') }), 600);
  assert.match(
    line(elsewhere, 'long-running.callback'),
    /^FAIL no callback within 0\.6 s; a PUT reached \/api\/v1\.0\/tasks\/\d+\/[^/]+\/done instead of the exact callback URL/,
  );
  const silent = await judge(asyncProxy(undefined), 300);
  assert.match(line(silent, 'long-running.callback'), /^FAIL no callback within 0\.3 s -> the task keeps waiting/);
});

test('a callback delivered twice after Arena accepted it is a warning', async () => {
  const results = await judge(asyncProxy({ times: 2 }));
  assert.match(
    line(results, 'long-running.once'),
    /^WARN delivered again .* -> answers the repeat 400 not_waiting_for_callback/,
  );
  assert.equal(results.ok, true, 'stopping after a 2xx is a SHOULD');
});

test('a 202 the backend does not wait on (an error, or http_status >= 300) fails at once', async () => {
  const rejected = {
    status: 202,
    body: JSON.stringify(envelope(null, { error_code: 'Busy', message: 'try later' }, { http_status: 503 })),
  };
  const results = await judge(asyncProxy(undefined, rejected));
  assert.match(
    line(results, 'long-running.accepted'),
    /^FAIL slow\/Job: 202 Busy; the backend does not wait on it -> raises BPMN error Busy \(status 503/,
  );
  assert.equal(
    results.results.some((r) => r.id === 'long-running.callback'),
    false,
  );
  const sync = await judge(asyncProxy(undefined, { status: 200, body: JSON.stringify(RESULT) }));
  assert.match(line(sync, 'long-running.accepted'), /^FAIL slow\/Job: 200 success; expected 202 -> stores/);
});

test('the kit uses a callback endpoint started beforehand (its origin can be allow-listed) and checks the credential', async () => {
  const endpoint = await startCallbackEndpoint({ apiKey: 'arena-key' });
  const fake = await startFakeProxy(
    asyncProxy({ headers: { 'Content-Type': 'application/json', 'SpiffWorkflow-Api-Key': 'not-the-key' } }),
  );
  try {
    const results = await runConformance({
      baseUrl: fake.url,
      callback: endpoint,
      longRunning: { command: 'slow/Job', params: { seconds: 1 } },
      callbackTimeoutMs: 2_000,
      callbackGraceMs: 100,
    });
    assert.match(line(results, 'long-running.callback'), /^FAIL Arena answers 403/);
    const call = fake.calls.find(
      (c) => c.id === 'slow/Job' && typeof c.json === 'object' && c.json !== null && 'seconds' in c.json,
    );
    assert.ok(
      call &&
        String((call.json as Record<string, unknown>).spiff__callback_url).startsWith(
          `${endpoint.origin}/api/v1.0/tasks/`,
        ),
    );
    assert.ok(endpoint.deliveries().length > 0, 'the endpoint stays up: the caller owns it');
  } finally {
    await fake.close();
    await endpoint.close();
  }
});

test('without --long-running the check is skipped, naming a command the detailed listing marks long-running', async () => {
  const fake = await startFakeProxy({
    listing: [{ id: 'slow/Job', parameters: [{ id: 'seconds', type: 'int', required: true }], longRunning: true }],
  });
  try {
    const results = await runConformance({ baseUrl: fake.url });
    assert.match(
      line(results, 'long-running'),
      /^SKIP the listing marks slow\/Job long-running: give --callback --long-running slow\/Job/,
    );
  } finally {
    await fake.close();
  }
});
