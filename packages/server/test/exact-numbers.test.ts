import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRegistry, defineCommand, defineConnector, isExactNumber, param } from '@connector-proxy/core';
import { createApp } from '../src/app.js';
import { loadConnectors } from '../src/load.js';
import { readJson } from './json.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const Numbers = defineCommand({
  params: {
    id: param.str(),
    count: param.int().optional(),
    big: param.bigint().optional(),
    data: param.any().optional(),
    token: param.str().secret().optional(),
  },
  run({ id, count, big, data }, { taskData }) {
    return {
      body: {
        id,
        count: count ?? null,
        big: big === undefined ? null : { digits: big.toString(), next: big + 1n },
        data: data ?? null,
        exactInTaskData: isExactNumber(taskData.order),
        taskData,
      },
    };
  },
});

const app = createApp(createRegistry([defineConnector({ name: 'numbers', commands: { Numbers } })]));

function post(target: ReturnType<typeof createApp>, path: string, body: string) {
  return target.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
}

describe('exact numbers through the proxy', () => {
  test('a str parameter, spiff__task_data and an any parameter keep every digit, byte for byte', async () => {
    const res = await post(
      app,
      '/v1/do/numbers/Numbers',
      '{"id":9007199254740993,"data":{"n":123456789012345678901234567890,"f":0.1000000000000000055511151231257827,"small":1.5},"spiff__task_data":{"order":18446744073709551615,"list":[9007199254740993,-9223372036854775808]}}',
    );
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /"id":"9007199254740993"/);
    assert.match(
      text,
      /"data":\{"n":123456789012345678901234567890,"f":0\.1000000000000000055511151231257827,"small":1\.5\}/,
    );
    assert.match(text, /"exactInTaskData":true/);
    assert.match(text, /"taskData":\{"order":18446744073709551615,"list":\[9007199254740993,-9223372036854775808\]\}/);
  });

  test('exact numbers survive the masking pass when a secret is given', async () => {
    const res = await post(
      app,
      '/v1/do/numbers/Numbers',
      '{"id":"x","token":"s3cr3t-token","data":{"n":9007199254740993,"echo":"s3cr3t-token"}}',
    );
    const text = await res.text();
    assert.match(text, /"data":\{"n":9007199254740993,"echo":"\*\*\*"\}/);
  });

  test('an int parameter refuses an integer it would round, saying it needs a safe integer', async () => {
    const res = await post(app, '/v1/do/numbers/Numbers', '{"id":"x","count":9007199254740993}');
    assert.equal(res.status, 400);
    const envelope = await readJson(res);
    assert.equal(envelope.error.error_code, 'InvalidParameters');
    assert.match(
      envelope.error.message,
      /count must be an integer from .* \(this command needs a safe integer\), got 9007199254740993/,
    );
  });

  test('a bigint parameter takes integers of any size, exactly', async () => {
    const res = await post(app, '/v1/do/numbers/Numbers', '{"id":"x","big":123456789012345678901234567890}');
    assert.equal(res.status, 200);
    assert.match(
      await res.text(),
      /"big":\{"digits":"123456789012345678901234567890","next":123456789012345678901234567891\}/,
    );
  });

  test('a body nested 100,000 levels deep is a 400 InvalidRequest naming the bound, not a crash', async () => {
    const deep = `{"id":"x","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const res = await post(app, '/v1/do/numbers/Numbers', deep);
    assert.equal(res.status, 400);
    const envelope = await readJson(res);
    assert.equal(envelope.error.error_code, 'InvalidRequest');
    assert.equal(envelope.error.message, 'the request body is nested deeper than 1000 levels');
  });

  test('a body that is a bare big number is refused as not an object', async () => {
    const res = await post(app, '/v1/do/numbers/Numbers', '12345678901234567890');
    assert.equal(res.status, 400);
    assert.match((await readJson(res)).error.message, /must be a JSON object, got a number/);
  });
});

describe('exact numbers through connector-http, to a real upstream and back', () => {
  let upstream: http.Server;
  let base = '';
  const seen: string[] = [];
  let proxy: ReturnType<typeof createApp>;

  before(async () => {
    upstream = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"id": 9007199254740993, "total": 123456789012345678901234567890.50, "ok": true}');
      });
    });
    await new Promise<void>((done) => upstream.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    proxy = createApp((await loadConnectors({ root: repo })).registry);
  });
  after(() => new Promise<void>((done) => upstream.close(() => done())));

  test('data reaches the upstream with every digit, and its answer comes back with every digit', async () => {
    const res = await post(
      proxy,
      '/v1/do/http/PostRequestV2',
      `{"url":"${base}/orders","data":{"n":9007199254740993,"big":123456789012345678901234567890,"f":1.5}}`,
    );
    assert.equal(res.status, 200);
    assert.equal(seen.at(-1), '{"n": 9007199254740993, "big": 123456789012345678901234567890, "f": 1.5}');
    const text = await res.text();
    assert.match(text, /"body":\{"id":9007199254740993,"total":123456789012345678901234567890\.50,"ok":true\}/);
  });

  test('form data and query params write exact numbers as Python str() writes ints', async () => {
    const res = await post(
      proxy,
      '/v1/do/http/PostRequest',
      `{"url":"${base}/form","params":{"q":9007199254740993},"data":{"n":123456789012345678901234567890},"body_format":"form"}`,
    );
    assert.equal(res.status, 200);
    assert.equal(seen.at(-1), 'n=123456789012345678901234567890');
  });

  test('1e400 in data is InvalidParameters 400 naming the path, as Python json.dumps(allow_nan=False) refuses', async () => {
    const count = seen.length;
    const res = await post(proxy, '/v1/do/http/PostRequestV2', `{"url":"${base}/x","data":{"a":[1,{"x":1e400}]}}`);
    assert.equal(res.status, 400);
    const envelope = await readJson(res);
    assert.equal(envelope.error.error_code, 'InvalidParameters');
    assert.match(envelope.error.message, /^data\.a\[1\]\.x is 1e400, out of the range of a JSON number/);
    assert.equal(seen.length, count, 'nothing was sent');
  });
});
