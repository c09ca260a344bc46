import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startRegistry } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import aws from '../src/index.js';
import type { AwsServices } from '../src/services.js';
import { type LocalAws, startLocalAws, uniqueName } from './local-aws.js';

const command = (name: string) => {
  const found = aws.commands.get(name);
  if (!found) throw new Error(`connector-aws has no ${name}`);
  return found;
};
const ScanDynamoTable = command('ScanDynamoTable');
const UploadFileData = command('UploadFileData');

let local: LocalAws;
let silent: Server;
let silentUrl: string;
let bucket: string;
before(async () => {
  local = await startLocalAws();
  // Accepts connections and requests, never answers.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const admin = new S3Client({});
  bucket = uniqueName('failures').toLowerCase();
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  admin.destroy();
});
after(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
  await local.stop();
});

/** Runs with some variables changed (undefined removes one); each run builds its clients from them. */
async function withEnv<T>(changes: Record<string, string | undefined>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(changes);
  try {
    return await run();
  } finally {
    apply(saved);
  }
}

const upload = () =>
  runCommand(UploadFileData, { file_data: 'data:text/plain;base64,QUJD', bucket, object_name: 'x.txt' });

test('an endpoint that refuses connections is ConnectionError with http_status 502', async () => {
  const run = await withEnv({ AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${local.closedPort}` }, () =>
    runCommand(ScanDynamoTable, { table_name: 'any' }, { config: { MAX_ATTEMPTS: '1' } }),
  );
  assert.equal(run.error?.error_code, 'ConnectionError');
  assert.equal(run.envelope.command_response.http_status, 502);
  assert.match(run.error?.message ?? '', /could not reach AWS for Scan/);
});

test('an endpoint that does not answer before the deadline is CommandTimeout with http_status 504', async () => {
  const started = Date.now();
  const run = await withEnv({ AWS_ENDPOINT_URL_DYNAMODB: silentUrl }, () =>
    runCommand(ScanDynamoTable, { table_name: 'any' }, { timeoutMs: 300 }),
  );
  assert.equal(run.error?.error_code, 'CommandTimeout');
  assert.equal(run.envelope.command_response.http_status, 504);
  assert.ok(Date.now() - started < 3_000);
});

test('no credentials anywhere is InvalidConfiguration (500), found without probing instance metadata', async () => {
  const run = await withEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }, () =>
    runCommand(ScanDynamoTable, { table_name: 'any' }),
  );
  assert.equal(run.error?.error_code, 'InvalidConfiguration');
  assert.equal(run.envelope.command_response.http_status, 500);
  assert.match(run.error?.message ?? '', /^no AWS credentials for Scan: /);
  assert.deepEqual(local.metadataRequests, []);
});

test('no region is InvalidConfiguration naming AWS_REGION', async () => {
  const run = await withEnv({ AWS_REGION: undefined }, () => upload());
  assert.equal(run.error?.error_code, 'InvalidConfiguration');
  assert.match(run.error?.message ?? '', /set AWS_REGION/);
});

test('an unknown access key is the AWS error InvalidAccessKeyId with its status 403, the secret never shown', async () => {
  const secret = 'wrong-secret-access-key-value';
  const run = await withEnv({ AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG', AWS_SECRET_ACCESS_KEY: secret }, () =>
    upload(),
  );
  assert.equal(run.error?.error_code, 'InvalidAccessKeyId');
  assert.equal(run.envelope.command_response.http_status, 403);
  assert.ok(!JSON.stringify(run.envelope).includes(secret));
});

test('MAX_ATTEMPTS outside 1..10 or S3_FORCE_PATH_STYLE that is not a boolean stops with a clear line', async () => {
  await assert.rejects(runCommand(ScanDynamoTable, { table_name: 'x' }, { config: { MAX_ATTEMPTS: '0' } }), {
    message: /MAX_ATTEMPTS must be a whole number from 1 to 10, got "0"/,
  });
  await assert.rejects(runCommand(UploadFileData, {}, { config: { S3_FORCE_PATH_STYLE: 'yes' } }), {
    message: /S3_FORCE_PATH_STYLE must be true or false/,
  });
});

test('S3_FORCE_PATH_STYLE and MAX_ATTEMPTS reach the SDK clients, which close with the registry', async () => {
  const registry = await startRegistry([aws], {
    env: { CONNECTOR_AWS_S3_FORCE_PATH_STYLE: 'true', CONNECTOR_AWS_MAX_ATTEMPTS: '2' },
  });
  try {
    const target = registry.target('aws', 'UploadFileData');
    assert.ok(target);
    const { clients } = await (target.services as AwsServices).load();
    assert.equal(clients.s3.config.forcePathStyle, true);
    assert.equal(await clients.dynamo.config.maxAttempts(), 2);
    const run = await runCommand(target, {
      file_data: 'data:text/plain;base64,QUJD',
      bucket,
      object_name: 'via-registry.txt',
    });
    assert.equal(run.error, null);
  } finally {
    await registry.close();
  }
});

test('AWS_ENDPOINT_URL alone is honoured (the SDK reads it): DynamoDB is reached there', async () => {
  const refused = await withEnv({ AWS_ENDPOINT_URL_DYNAMODB: undefined }, () =>
    runCommand(ScanDynamoTable, { table_name: 'any' }, { config: { MAX_ATTEMPTS: '1' } }),
  );
  // The catch-all endpoint is a closed port: the call went there, not to AWS.
  assert.equal(refused.error?.error_code, 'ConnectionError');
  const reached = await withEnv({ AWS_ENDPOINT_URL_DYNAMODB: undefined, AWS_ENDPOINT_URL: local.dynamoUrl }, () =>
    runCommand(ScanDynamoTable, { table_name: uniqueName('absent') }),
  );
  assert.equal(reached.error?.error_code, 'ResourceNotFoundException', 'dynalite answered');
});
