/**
 * The egress policy, end to end through the real app and the bundled connectors. No traffic leaves
 * 127.0.0.1: test host names resolve through an injected resolver to the addresses under test, and
 * an observer records every connection the hook let through, so a refused address is proven never
 * to have been connected to.
 */
import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { type EnvelopeV2, startRegistry, type WireError } from '@connector-proxy/core';
import { createCallbackAgents, deliverOnce, openRedisStore } from '@connector-proxy/jobs';
import { createApp, createEgressPolicy, type EgressOptions } from '@connector-proxy/server';
import { createEgressFor, createEgressGuard, outsideEgress } from '@connector-proxy/server/node';
import httpConnector from 'connector-http';
import smtpConnector from 'connector-smtp';

let upstream: http.Server;
let port = 0;

before(async () => {
  upstream = http.createServer((request, response) => {
    // No keep-alive, so every call opens a connection the policy sees.
    response.setHeader('connection', 'close');
    if (request.url === '/to-metadata') {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      return;
    }
    if (request.url === '/to-loopback-spelling') {
      response.writeHead(307, { location: `http://0x7f000001:${port}/ok` }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok": true}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  port = (upstream.address() as AddressInfo).port;
});

after(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const registry = await startRegistry([httpConnector, smtpConnector]);
after(() => registry.close());

/** The app under a policy, with names resolved by `names` (each call takes the next answer) and connects recorded. */
function appWith(policy: EgressOptions, names: Record<string, string[]> = {}) {
  const connects: string[] = [];
  const calls = new Map<string, number>();
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const answers = names[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const n = calls.get(hostname) ?? 0;
    calls.set(hostname, n + 1);
    const address = answers[Math.min(n, answers.length - 1)] ?? '';
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
  // The process's policy from here on (one per process: each test installs its own).
  createEgressGuard(createEgressPolicy(policy), {
    resolve,
    observe: (_host, address) => connects.push(address),
  });
  const app = createApp(registry);
  const get = async (url: string) => {
    const res = await app.request('/v1/do/http/GetRequestV2', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url }),
    });
    return { status: res.status, envelope: (await res.json()) as EnvelopeV2 & { error: WireError } };
  };
  return { app, get, connects };
}

const LOOPBACK_SPELLINGS = ['127.0.0.1', '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]'];

test('public denies every spelling of loopback with EgressDenied 403, and opens no socket', async () => {
  const { get, connects } = appWith({ preset: 'public' }, { localhost: ['127.0.0.1'] });
  for (const host of [...LOOPBACK_SPELLINGS, 'localhost']) {
    const { status, envelope } = await get(`http://${host}:${port}/ok`);
    assert.equal(status, 200, host);
    assert.equal(envelope.error?.error_code, 'EgressDenied', `${host}: ${JSON.stringify(envelope.error)}`);
    assert.equal(envelope.command_response.http_status, 403, host);
    assert.match(envelope.error.message, /127\.0\.0\.0\/8 \(loopback\)|::ffff/, host);
  }
  assert.deepEqual(connects, []);
});

test('the default preset keeps loopback and private networks open but denies metadata and link-local', async () => {
  const { get, connects } = appWith({}, { 'svc.test': ['127.0.0.1'], 'meta.test': ['169.254.169.254'] });
  assert.equal((await get(`http://svc.test:${port}/ok`)).envelope.error, null);
  for (const url of [
    'http://169.254.169.254/latest/meta-data/',
    'http://meta.test/latest/meta-data/',
    'http://[fd00:ec2::254]/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://169.254.10.1/',
    'http://[fe80::1]/',
  ]) {
    const { envelope } = await get(url);
    assert.equal(envelope.error?.error_code, 'EgressDenied', url);
  }
  assert.deepEqual(connects, ['127.0.0.1']);
});

test('a redirect from an allowed host to a denied one is refused at the hop, before connecting', async () => {
  const { get, connects } = appWith({}, { 'svc.test': ['127.0.0.1'] });
  const { envelope } = await get(`http://svc.test:${port}/to-metadata`);
  assert.equal(envelope.error?.error_code, 'EgressDenied');
  assert.match(envelope.error.message, /169\.254\.169\.254/);
  assert.deepEqual(connects, ['127.0.0.1']);

  const strict = appWith({ preset: 'public', allow: ['svc.test'] }, { 'svc.test': ['127.0.0.1'] });
  const hop = await strict.get(`http://svc.test:${port}/to-loopback-spelling`);
  assert.equal(hop.envelope.error?.error_code, 'EgressDenied', 'the allow rule names svc.test, not the address');
  assert.deepEqual(strict.connects, ['127.0.0.1']);
});

test('a name that resolves first to an allowed address and then to a denied one (rebinding) is refused the second time', async () => {
  const { get, connects } = appWith({}, { 'rebind.test': ['127.0.0.1', '169.254.169.254'] });
  assert.equal((await get(`http://rebind.test:${port}/ok`)).envelope.error, null);
  assert.equal((await get(`http://rebind.test:${port}/ok`)).envelope.error?.error_code, 'EgressDenied');
  assert.deepEqual(connects, ['127.0.0.1']);
});

test('allow wins over the preset, deny wins over allow; names take a *. wildcard', async () => {
  const names = { 'api.internal.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] };
  const allowed = appWith({ preset: 'public', allow: ['*.internal.test'] }, names);
  assert.equal((await allowed.get(`http://api.internal.test:${port}/ok`)).envelope.error, null);
  assert.equal((await allowed.get(`http://other.test:${port}/ok`)).envelope.error?.error_code, 'EgressDenied');
  const denied = appWith({ preset: 'open', allow: ['127.0.0.0/8'], deny: ['api.internal.test'] }, names);
  const refused = await denied.get(`http://api.internal.test:${port}/ok`);
  assert.equal(refused.envelope.error?.error_code, 'EgressDenied');
  assert.match(refused.envelope.error.message, /CONNECTOR_PROXY_EGRESS_DENY api\.internal\.test/);
  assert.equal((await denied.get(`http://other.test:${port}/ok`)).envelope.error, null);
});

test('metadata is allowed only by naming its address, never by a host name that resolves to it', async () => {
  const names = { 'meta.test': ['169.254.169.254'] };
  const byName = appWith({ allow: ['meta.test'] }, names);
  assert.equal((await byName.get('http://meta.test/')).envelope.error?.error_code, 'EgressDenied');
  assert.deepEqual(byName.connects, []);
});

test('smtp is under the same policy: its host is refused before any connection', async () => {
  // Addresses only: nodemailer resolves names itself (a DNS query this test must not send); the
  // address it then connects to meets the same check.
  const { app, connects } = appWith({ preset: 'public' });
  for (const smtp_host of ['127.0.0.1', '::1', '10.1.2.3', '169.254.169.254', '::ffff:192.168.1.1']) {
    const res = await app.request('/v1/do/smtp/SendEmail', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        smtp_host,
        smtp_port: 2525,
        email_subject: 's',
        email_body: 'b',
        email_to: 'to@example.com',
        email_from: 'from@example.com',
      }),
    });
    const envelope = (await res.json()) as EnvelopeV2;
    assert.equal(envelope.error?.error_code, 'EgressDenied', `${smtp_host}: ${JSON.stringify(envelope.error)}`);
  }
  assert.deepEqual(connects, []);
});

test('a bad allow or deny entry stops startup naming the variable', () => {
  assert.throws(() => createEgressPolicy({ allow: ['10.0.0.0/99'] }), /CONNECTOR_PROXY_EGRESS_ALLOW: "10.0.0.0\/99"/);
  assert.throws(() => createEgressPolicy({ deny: ['not a host'] }), /CONNECTOR_PROXY_EGRESS_DENY/);
});

const REDIS_URL = process.env.CONNECTOR_PROXY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Connects to 127.0.0.1:`to` and tells how it ended: 'connected', or the error's code. */
function tryConnect(to: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(to, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.name));
  });
}

test("the proxy's own connections (callbacks, Redis) pass a policy that refuses the same address to connectors", async (t) => {
  // Whether Redis is there at all, asked with no policy (the tests above each left theirs).
  createEgressFor({ egress: { preset: 'open', allow: [], deny: [] } });
  const redisReachable = (await tryConnect(Number(new URL(REDIS_URL).port || 6379))) === 'connected';
  const guard = createEgressGuard(createEgressPolicy({ preset: 'public' }));
  assert.equal(await tryConnect(port), 'EgressDenied', 'a connection of nobody in particular meets the policy');
  // A callback PUT to a loopback SpiffArena goes through the runner's exempt agents.
  const agents = createCallbackAgents(guard.exempt);
  try {
    const delivered = await deliverOnce(`http://127.0.0.1:${port}/ok`, '{}', {
      credential: { kind: 'api-key', value: 'k' },
      timeoutMs: 5_000,
      agents,
    });
    assert.equal(delivered.answer.status, 200, JSON.stringify(delivered.answer));
  } finally {
    agents.http.destroy();
  }
  // Work a connector hands to host.outsideEgress (its credential chain) is exempt until it settles, then no more.
  assert.equal(await outsideEgress(() => tryConnect(port)), 'connected');
  assert.equal(await tryConnect(port), 'EgressDenied', 'the exemption ends with the work');
  if (redisReachable) {
    const store = await openRedisStore({
      url: REDIS_URL,
      prefix: `egress-${process.pid}`,
      leaseMs: 5_000,
      exempt: guard.exempt,
    });
    try {
      // A job goes in through the queue's connection and comes out through the worker's (BullMQ duplicates it).
      const picked = new Promise<string>((resolve) => {
        store.start(
          async (job) => {
            resolve(job.id);
            return { kind: 'done' };
          },
          { concurrency: 1 },
        );
      });
      const id = `egress-job-${process.pid}`;
      await store.add({
        id,
        command: 'test/Echo',
        state: 'queued',
        callbackUrl: `http://127.0.0.1:${port}/cb`,
        idempotent: true,
        timeoutMs: 1_000,
        request: {},
        runs: 0,
        attempts: 0,
        createdAt: Date.now(),
      });
      assert.equal(await picked, id);
    } finally {
      await store.close({ abandon: false });
    }
  } else {
    if (process.env.CI === 'true') assert.fail(`Redis is not reachable at ${REDIS_URL}`);
    t.diagnostic(`SKIPPED LOUDLY (Redis part): Redis is not reachable at ${REDIS_URL}`);
  }
  createEgressFor({ egress: { preset: 'open', allow: [], deny: [] } });
  assert.equal(await tryConnect(port), 'connected', 'an open configuration lifts the policy');
});
