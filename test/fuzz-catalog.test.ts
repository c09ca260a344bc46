/**
 * Fuzz for the catalog connectors (slack, aws, ai, rand), as test/fuzz.test.ts does for the others:
 * generated hostile requests through the real app, with every service they call local: a fake
 * Slack and a fake OpenAI-style API, dynalite and s3rver. No answer may be a 5xx, every command
 * answer must be a JSON envelope (or, for aws's successes, Python's version-1 JSON body), and no
 * connection may leave 127.0.0.1. Replay with `FUZZ_SEED=<n>`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { isPlainObject, startRegistry } from '@connector-proxy/core';
import { createApp } from '@connector-proxy/server';
import ai from 'connector-ai';
import aws from 'connector-aws';
import rand from 'connector-rand';
import slack from 'connector-slack';
import { startFakeOpenAi } from '../connectors/connector-ai/test/fake-openai.js';
import { startLocalAws } from '../connectors/connector-aws/test/local-aws.js';
import { startFakeSlack } from '../connectors/connector-slack/test/fake-slack.js';
import { createRandom, hostileCase } from './fuzz-cases.js';
import { watchConnections } from './fuzz-servers.js';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CASES = Number(process.env.FUZZ_CATALOG_CASES ?? 7_000);
const CONCURRENCY = 8;
// aws's successes answer Python's version 1: the DynamoDB answer (or the upload result) as the body.
const LEGACY = new Set(['aws/AddDynamoItem', 'aws/QueryDynamoTable', 'aws/ScanDynamoTable', 'aws/UploadFileData']);

function problemWith(id: string, path: string, status: number, type: string | null, text: string): string | undefined {
  if (status >= 500) return `status ${status}: ${text.slice(0, 300)}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `status ${status}, not JSON: ${JSON.stringify(text.slice(0, 200))}`;
  }
  if (!/^application\/json/.test(type ?? '')) return `status ${status}, Content-Type ${type}`;
  if (!isPlainObject(value)) return `status ${status}, not an object`;
  if (!/^\/v1\/do\/[^/]+\/[^/]+$/.test(new URL(path, 'http://x').pathname)) return undefined;
  if (value.command_response_version === undefined && LEGACY.has(id) && status === 200) return undefined;
  const { command_response, error, command_response_version, spiff__logs } = value;
  const errorOk =
    error === null ||
    (isPlainObject(error) && typeof error.error_code === 'string' && typeof error.message === 'string');
  if (command_response_version !== 2 || !isPlainObject(command_response) || !errorOk || !Array.isArray(spiff__logs)) {
    return `status ${status}, not an envelope: ${text.slice(0, 300)}`;
  }
  return undefined;
}

test(`hostile requests against slack, aws, ai and rand never get a 5xx or a broken answer (seed ${SEED})`, async (t) => {
  const watch = watchConnections();
  const local = await startLocalAws();
  const fakeSlack = await startFakeSlack();
  const fakeAi = await startFakeOpenAi();
  // The fuzz's right values for a str are "hello", "x" and "hé": give "hello" a table and a bucket.
  const dynamo = new DynamoDBClient({});
  await dynamo.send(
    new CreateTableCommand({
      TableName: 'hello',
      KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'N' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  dynamo.destroy();
  const s3 = new S3Client({});
  await s3.send(new CreateBucketCommand({ Bucket: 'hello' }));
  s3.destroy();
  const registry = await startRegistry([slack, aws, ai, rand], {
    env: {
      CONNECTOR_SLACK_API_URL: fakeSlack.url,
      CONNECTOR_AI_API_BASE: fakeAi.base,
      CONNECTOR_AWS_MAX_ATTEMPTS: '1',
    },
  });
  const app = createApp(registry, { commandTimeoutMs: 5_000, bodyLimitBytes: 10 * 1024 * 1024 });
  try {
    const random = createRandom(SEED);
    const commands = registry.list();
    const targets = { httpBase: 'http://127.0.0.1:9', smtpPort: 9, hangUpPort: 9 };
    const cases = Array.from({ length: CASES }, (_, i) => {
      const entry = commands[i % commands.length];
      assert.ok(entry);
      // Every other case fuzzes the required parameters only, so that more runs get past the
      // optional ones (a random api_base or tools value) and reach the service.
      const params = i % 2 === 0 ? entry.parameters : entry.parameters.filter((p) => p.required);
      return { id: entry.id, fuzz: hostileCase(random, entry.id, params, targets) };
    });
    const failures: string[] = [];
    const codes = new Map<string, number>();
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < cases.length; i = next++) {
          const { id, fuzz } = cases[i] as (typeof cases)[number];
          const init: RequestInit = {
            method: fuzz.method,
            headers: fuzz.headers,
            ...(fuzz.body ? { body: fuzz.body } : {}),
          };
          const res = await app.request(fuzz.path, init);
          const text = await res.text();
          const code = /"error_code":"([^"]*)"/.exec(text)?.[1] ?? (res.status === 200 ? '(none)' : `${res.status}`);
          codes.set(`${id} ${code}`, (codes.get(`${id} ${code}`) ?? 0) + 1);
          const problem = problemWith(id, fuzz.path, res.status, res.headers.get('content-type'), text);
          if (problem) failures.push(`#${i} ${fuzz.kind} ${fuzz.method} ${fuzz.path.slice(0, 100)}: ${problem}`);
        }
      }),
    );
    t.diagnostic(`seed ${SEED}: ${CASES} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    t.diagnostic(`Slack requests ${fakeSlack.received.length}, LLM requests ${fakeAi.received.length}`);
    t.diagnostic(
      [...codes]
        .sort()
        .map(([key, n]) => `${key}=${n}`)
        .join(' '),
    );
    assert.deepEqual(watch.outside, [], 'every connection went to 127.0.0.1');
    assert.deepEqual(local.metadataRequests, [], 'nothing asked for instance credentials');
    assert.deepEqual(failures.slice(0, 20), [], `failures (seed ${SEED}): ${failures.length}`);
    assert.ok(fakeSlack.received.length > 0 && fakeAi.received.length > 0, 'the cases reached the services');
    assert.ok([...codes.keys()].some((key) => key.startsWith('aws/') && !key.includes('InvalidParameters')));
  } finally {
    watch.stop();
    await registry.close();
    await fakeSlack.close();
    await fakeAi.close();
    await local.stop();
  }
});
