import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { type Config, readConfig } from '../src/config.js';
import { type RunningServer, startServer } from '../src/serve.js';
import { eventually, exchange, statusOf } from './raw-socket.js';

const Slow = defineCommand({
  params: { ms: param.int() },
  async run({ ms }) {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { body: { slept: ms } };
  },
});

const Whoami = defineCommand({
  params: { message: param.str() },
  run: ({ message }) => ({ body: { message } }),
});

const registry = createRegistry([defineConnector({ name: 'test', commands: { Slow, Whoami } })]);

function config(format: 'text' | 'json', overrides: Partial<Config> = {}): Config {
  const base = readConfig({
    CONNECTOR_PROXY_PORT: '0',
    CONNECTOR_PROXY_LOG_FORMAT: format,
    CONNECTOR_PROXY_METRICS: 'true',
  });
  return { ...base, ...overrides };
}

const json = (body: string) =>
  `POST /v1/do/test/Whoami HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;

async function metricsOf(server: RunningServer): Promise<string> {
  return (await fetch(`${server.url}/metrics`)).text();
}

describe('what the log and metrics say about broken connections', () => {
  let server: RunningServer;
  const lines: string[] = [];
  before(async () => {
    server = await startServer(config('text'), registry, { write: (line) => lines.push(line) });
  });
  after(() => server.close());

  test('a client that hangs up in the middle of its body is logged and counted as 499, not 500', async () => {
    lines.length = 0;
    const head = 'POST /v1/do/test/Whoami HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
    await exchange(server.port, [`${head}Content-Length: 100\r\n\r\n{"message":`], {
      hangUpAfterMs: 50,
    });
    await exchange(server.port, [`${head}Transfer-Encoding: chunked\r\n\r\n5\r\n{"mes\r\n`], {
      hangUpAfterMs: 50,
    });
    await eventually(() => lines.length === 2);
    assert.match(lines[0] ?? '', /^POST \/v1\/do\/test\/Whoami 499 \d/);
    assert.match(lines[1] ?? '', /^POST \/v1\/do\/test\/Whoami 499 \d/);
  });

  test('a malformed chunked body is answered 400, and logged as the 400 the client got', async () => {
    lines.length = 0;
    const { received } = await exchange(server.port, [
      'POST /v1/do/test/Whoami HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      'zz\r\n{"message":"x"}\r\n0\r\n\r\n',
    ]);
    assert.equal(statusOf(received), 400);
    assert.match(received, /\r\n\r\n\{"error":"Bad Request"\}$/);
    await eventually(() => lines.length === 1);
    assert.match(lines[0] ?? '', /^POST \/v1\/do\/test\/Whoami 400 \d+(\.\d+)?ms InvalidRequest$/);
  });

  test('a request refused before the app saw it is answered and logged, without its query', async () => {
    lines.length = 0;
    // Over Node's 16 KB header limit, in one write so that the parser sees the request line with it.
    const huge = `GET /v1/commands?token=s3cr3t-in-query HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(20_000)}\r\n\r\n`;
    const tooLarge = await exchange(server.port, [huge]);
    assert.equal(statusOf(tooLarge.received), 431);
    assert.match(tooLarge.received, /\{"error":"Request Header Fields Too Large"\}$/);
    const garbage = await exchange(server.port, ['NOT A REQUEST\r\n\r\n']);
    assert.equal(statusOf(garbage.received), 400);
    await eventually(() => lines.length === 2);
    assert.deepEqual(lines, ['GET /v1/commands 431 0ms', '- - 400 0ms']);
    // The server goes on answering.
    assert.equal((await fetch(`${server.url}/v1/commands`)).status, 200);
  });

  test('a client that hangs up while its command runs is logged as 499', async () => {
    lines.length = 0;
    const body = '{"ms":300}';
    await exchange(
      server.port,
      [
        `POST /v1/do/test/Slow HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      ],
      { hangUpAfterMs: 50 },
    );
    await eventually(() => lines.length === 1);
    assert.match(lines[0] ?? '', /^POST \/v1\/do\/test\/Slow 499 \d/);
  });

  test('the metrics count those as 499 and 400, and no request as a 500', async () => {
    const text = await metricsOf(server);
    assert.match(text, /connector_proxy_requests_total\{route="\/v1\/do",status="499"\} 3\n/);
    assert.match(text, /connector_proxy_requests_total\{route="\/v1\/do",status="400"\} 1\n/);
    assert.doesNotMatch(text, /status="5\d\d"/);
    // None of them is a command run: no body arrived whole, and the client of the slow one left.
    assert.doesNotMatch(text, /command_runs_total\{/);
  });

  test('a percent-encoded line break or control character in the path cannot start or forge a log line', async () => {
    lines.length = 0;
    const forged = [
      '/v1/do/test/Whoami%0AGET%20/v1/commands%20200%201ms',
      '/v1/do/test/Whoami%0D%0AGET%20/v1/commands%20200%201ms',
      '/v1/do/x%E2%80%A8y/z%E2%80%A9w',
      '/v1/do/x%C2%85y/%00%1B%5B31m%7F',
      '/v1/do/x%E2%80%AEgnp.exe/%EF%BB%BF%E2%80%8B',
      '/v1/do/x%5Cx0A/%F3%A0%80%81',
    ];
    for (const path of forged)
      await exchange(server.port, [`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
    await eventually(() => lines.length === forged.length);
    assert.deepEqual(
      lines,
      [
        'GET /v1/do/test/Whoami\\x0AGET\\x20/v1/commands\\x20200\\x201ms 404',
        'GET /v1/do/test/Whoami\\x0D\\x0AGET\\x20/v1/commands\\x20200\\x201ms 404',
        'GET /v1/do/x\\u2028y/z\\u2029w 404',
        'GET /v1/do/x\\x85y/\\x00\\x1B[31m\\x7F 404',
        'GET /v1/do/x\\u202Egnp.exe/\\uFEFF\\u200B 404',
        'GET /v1/do/x\\\\x0A/\\u{E0001} 404',
      ].map((prefix) => lines.find((line) => line.startsWith(prefix)) ?? `(no line starts with ${prefix})`),
    );
    for (const line of lines) assert.doesNotMatch(line, /[\p{Cc}\u2028\u2029]/u);
  });
});

describe('the JSON log format', () => {
  test('escapes what could break a line and keeps the decoded path as its value', async () => {
    const lines: string[] = [];
    const server = await startServer(config('json'), registry, { write: (line) => lines.push(line) });
    try {
      await exchange(server.port, [
        'GET /v1/do/x%E2%80%A8y/%0A%E2%80%AE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      ]);
      await eventually(() => lines.length === 1);
    } finally {
      await server.close();
    }
    const line = lines[0] ?? '';
    assert.doesNotMatch(line, /[\n\u2028\u2029\u202e]/u);
    assert.equal(JSON.parse(line).path, '/v1/do/x\u2028y/\n\u202e');
  });
});

describe('bounded slow clients', () => {
  let server: RunningServer;
  const lines: string[] = [];
  before(async () => {
    const bounds = { headersTimeoutMs: 300, requestTimeoutMs: 600 };
    server = await startServer(config('text', bounds), registry, { write: (line) => lines.push(line) });
  });
  after(() => server.close());

  test('a body dripped slower than the request timeout is closed with 408, and logged as 408', async () => {
    lines.length = 0;
    const body = '{"message":"drip, drip, drip, drip"}';
    const head = `POST /v1/do/test/Whoami HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { received, closedAfterMs } = await exchange(server.port, [head, ...body.split('')], { gapMs: 60 });
    assert.equal(statusOf(received), 408);
    assert.match(received, /\{"error":"Request Timeout"\}$/);
    assert.ok(
      closedAfterMs !== undefined && closedAfterMs >= 600 && closedAfterMs < 1_500,
      `closed after ${closedAfterMs} ms`,
    );
    await eventually(() => lines.length === 1);
    assert.match(lines[0] ?? '', /^POST \/v1\/do\/test\/Whoami 408 \d/);
  });

  test('headers dripped slower than the headers timeout are closed with 408, and logged as 408', async () => {
    lines.length = 0;
    const request = json('{"message":"x"}');
    const { received, closedAfterMs } = await exchange(server.port, request.split(''), { gapMs: 20 });
    assert.equal(statusOf(received), 408);
    assert.ok(closedAfterMs !== undefined && closedAfterMs < 1_000, `closed after ${closedAfterMs} ms`);
    // The app never saw this request, so neither its method nor its path is known.
    await eventually(() => lines.length === 1);
    assert.deepEqual(lines, ['- - 408 0ms']);
  });

  test('the bound is on sending the request: a command may run longer than it', async () => {
    const res = await fetch(`${server.url}/v1/do/test/Slow`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ms: 900 }),
    });
    assert.equal(res.status, 200);
  });

  test('the server keeps serving, and counts the slow request as 408', async () => {
    const { received } = await exchange(server.port, [
      json('{"message":"quick"}').replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n'),
    ]);
    assert.equal(statusOf(received), 200);
    assert.match(await metricsOf(server), /connector_proxy_requests_total\{route="\/v1\/do",status="408"\} 1\n/);
  });
});
