/**
 * One secret, every way out. Each bundled command that takes a credential runs its success and
 * failure paths against local servers that echo what they receive (the request line, headers and
 * body) back into their answer, error text or SMTP reply; then every byte that left the proxy is
 * searched for the secret and its encodings: the HTTP answers, the request log in both formats
 * and /metrics.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { readConfig } from '@connector-proxy/server';
import { loadConnectors, type RunningServer, startServer } from '@connector-proxy/server/node';
import { SMTPServer } from 'smtp-server';

const SECRET = 'Sup3r-S3cret/Passw0rd+!';
const USER = 'ada';

/** The secret in every form a connector or an upstream could write it. */
const FORMS = [
  SECRET,
  JSON.stringify(SECRET).slice(1, -1),
  encodeURIComponent(SECRET),
  encodeURIComponent(SECRET).replace(/%20/g, '+'),
  Buffer.from(SECRET).toString('base64'),
  Buffer.from(`${USER}:${SECRET}`).toString('base64'),
  Buffer.from(`${USER}:${SECRET}`).toString('base64url'),
];

let echo: http.Server;
let smtp: SMTPServer;
let echoUrl = '';
let smtpPort = 0;
const servers: { server: RunningServer; lines: string[] }[] = [];

before(async () => {
  echo = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const seen = JSON.stringify({ url: request.url, headers: request.headers, body });
      const status = request.url?.includes('fail') ? 500 : request.url?.includes('slack') ? 200 : 200;
      if (request.url?.includes('/slack/')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: false, error: `invalid_auth ${request.headers.authorization}` }));
        return;
      }
      if (request.url?.includes('/ai/')) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ error: { message: `Incorrect API key provided: ${request.headers.authorization}` } }),
        );
        return;
      }
      response.writeHead(status, { 'content-type': request.url?.includes('text') ? 'text/plain' : 'application/json' });
      response.end(seen);
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    logger: false,
    allowInsecureAuth: true,
    authOptional: true,
    onAuth(auth, _session, callback) {
      // A server that quotes the credentials it refused.
      callback(Object.assign(new Error(`Invalid login ${auth.username} ${auth.password}`), { responseCode: 535 }));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  const { registry } = await loadConnectors({
    root: process.cwd(),
    env: { CONNECTOR_SLACK_API_URL: `${echoUrl}/slack` },
  });
  for (const format of ['json', 'text'] as const) {
    const lines: string[] = [];
    const config = readConfig({
      CONNECTOR_PROXY_PORT: '0',
      CONNECTOR_PROXY_LOG_FORMAT: format,
      CONNECTOR_PROXY_METRICS: 'true',
    });
    const server = await startServer(config, registry, { write: (line) => lines.push(line) });
    servers.push({ server, lines });
  }
});

after(async () => {
  for (const { server } of servers) await server.close();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** Every request that carries the secret, to a command that must keep it in. */
function cases(): { id: string; body: Record<string, unknown> }[] {
  const auth = { basic_auth_username: USER, basic_auth_password: SECRET };
  const smtpBase = {
    smtp_host: '127.0.0.1',
    smtp_port: smtpPort,
    email_subject: 's',
    email_body: 'b',
    email_to: 'to@example.com',
    email_from: 'from@example.com',
  };
  return [
    { id: 'http/GetRequestV2', body: { url: `${echoUrl}/ok`, ...auth } },
    { id: 'http/GetRequestV2', body: { url: `${echoUrl}/fail`, ...auth } },
    { id: 'http/GetRequest', body: { url: `${echoUrl}/text`, ...auth } },
    {
      id: 'http/GetRequest',
      body: { url: echoUrl.replace('http://', `http://${USER}:${encodeURIComponent(SECRET)}@`) },
    },
    { id: 'http/GetRequestV2', body: { url: `${echoUrl}/fail`, params: { api_key: SECRET } } },
    {
      id: 'http/PostRequestV2',
      body: { url: `${echoUrl}/fail`, headers: { Authorization: `Bearer ${SECRET}` }, data: { x: 1 } },
    },
    { id: 'http/PostRequest', body: { url: `${echoUrl}/ok`, headers: { 'X-Api-Key': SECRET, Cookie: `s=${SECRET}` } } },
    { id: 'slack/PostMessage', body: { token: SECRET, channel: 'C1', message: 'hi' } },
    {
      id: 'ai/LlmRequest',
      body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], api_key: SECRET, api_base: `${echoUrl}/ai` },
    },
    { id: 'smtp/SendEmail', body: { ...smtpBase, smtp_user: USER, smtp_password: SECRET } },
    {
      id: 'postgres_v2/DoSQL',
      body: {
        database_connection_str: `postgresql://${USER}:${encodeURIComponent(SECRET)}@127.0.0.1:1/db`,
        schema: { sql: 'SELECT 1' },
      },
    },
  ];
}

test('no bundled command lets a secret out: answers, request logs in both formats and /metrics', async () => {
  const leaks: string[] = [];
  const check = (where: string, text: string) => {
    for (const form of FORMS) if (text.includes(form)) leaks.push(`${where} holds ${JSON.stringify(form)}`);
  };
  let ran = 0;
  for (const { server, lines } of servers) {
    for (const { id, body } of cases()) {
      const res = await fetch(`${server.url}/v1/do/${id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      assert.ok(res.status < 500, `${id}: ${res.status} ${text}`);
      check(`${id} answer`, text);
      ran += 1;
    }
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    check('metrics', metrics);
    check('request log', lines.join('\n'));
    assert.ok(lines.length >= cases().length, 'the log was written');
  }
  assert.equal(ran, cases().length * 2);
  assert.deepEqual(leaks, []);
});

test('the echoes really carried the secret to the upstream, so the test can fail', async () => {
  const { server } = servers[0] ?? assert.fail('no server');
  const res = await fetch(`${server.url}/v1/do/http/GetRequestV2`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: `${echoUrl}/ok`, headers: { 'X-Echo': 'not-secret-value' } }),
  });
  assert.match(await res.text(), /not-secret-value/, 'what is not a secret comes back as the upstream sent it');
});
