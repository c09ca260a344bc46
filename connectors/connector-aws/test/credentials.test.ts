import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startRegistry } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import aws from '../src/index.js';
import { type LocalAws, startLocalAws, uniqueName } from './local-aws.js';

// The proxy runs a connector's own work outside its egress policy through the `host.outsideEgress`
// it hands setup; this test hands one that marks that work with an AsyncLocalStorage scope, and
// watches net.Socket#connect (the hook the policy is enforced in) to see which connections it covers.
const scope = new AsyncLocalStorage<string>();
const connections: { port: number; scope: string | undefined }[] = [];
const originalConnect = net.Socket.prototype.connect;

let local: LocalAws;
let bucket: string;
before(async () => {
  local = await startLocalAws();
  const admin = new S3Client({});
  bucket = uniqueName('role').toLowerCase();
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  admin.destroy();
  // biome-ignore lint/suspicious/noExplicitAny: net.Socket#connect's overloads.
  net.Socket.prototype.connect = function connect(this: net.Socket, ...args: any[]) {
    const options = Array.isArray(args[0]) ? args[0][0] : args[0];
    const port = typeof options === 'object' && options !== null ? Number(options.port) : Number(options);
    connections.push({ port, scope: scope.getStore() });
    return originalConnect.apply(this, args as Parameters<typeof originalConnect>);
  };
});
after(async () => {
  net.Socket.prototype.connect = originalConnect;
  await local.stop();
});

test('instance-role credentials are fetched outside the egress policy, the AWS call under it', async () => {
  local.instanceRole = true;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  process.env.AWS_EC2_METADATA_DISABLED = 'false';
  const registry = await startRegistry([aws], {
    env: {},
    host: { outsideEgress: (work) => scope.run('deployment', work) },
  });
  try {
    const target = registry.target('aws', 'UploadFileData');
    assert.ok(target);
    const run = await runCommand(target, { file_data: 'data:text/plain;base64,QUJD', bucket, object_name: 'role.txt' });
    assert.equal(run.error, null, JSON.stringify(run.error));
    assert.ok(local.metadataRequests.includes('GET /latest/meta-data/iam/security-credentials/test-role'));
    const s3Port = Number(new URL(local.s3Url).port);
    const metadata = connections.filter((c) => c.port === local.metadataPort);
    const s3 = connections.filter((c) => c.port === s3Port);
    assert.ok(metadata.length > 0 && s3.length > 0);
    assert.deepEqual(new Set(metadata.map((c) => c.scope)), new Set(['deployment']), 'metadata outside the policy');
    assert.deepEqual(new Set(s3.map((c) => c.scope)), new Set([undefined]), 'S3 under the policy');
  } finally {
    await registry.close();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    local.instanceRole = false;
  }
});
