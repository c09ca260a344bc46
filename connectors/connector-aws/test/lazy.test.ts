import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { startRegistry } from '@connector-proxy/core';
import aws from '../src/index.js';
import type { AwsServices } from '../src/services.js';

// This file runs in a process of its own (node --test), so nothing else has loaded the SDK.
const loadedSdk = () =>
  Object.keys(createRequire(import.meta.url).cache).filter((path) =>
    /@aws-sdk[/\\]client-(s3|dynamodb)[/\\]/.test(path),
  );

test('loading the connector and starting the proxy do not import the AWS SDK clients; the first call does', async () => {
  const registry = await startRegistry([aws], { env: {} });
  try {
    assert.deepEqual(loadedSdk(), []);
    const services = registry.target('aws', 'ScanDynamoTable')?.services as AwsServices;
    const first = await services.load();
    assert.ok(loadedSdk().length > 0);
    assert.equal(await services.load(), first, 'the clients are created once');
  } finally {
    await registry.close();
  }
});
