import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startRegistry } from '@connector-proxy/core';
import { createApp } from '@connector-proxy/server';
import { Validator } from '@seriousme/openapi-schema-validator';
import example from 'connector-example';
import http from 'connector-http';
import smtp from 'connector-smtp';

const registry = await startRegistry([example, http, smtp]);
after(() => registry.close());

async function documentOf(apiKey?: string) {
  const app = createApp(registry, apiKey ? { apiKey } : {});
  const res = await app.request(
    '/v1/openapi.json',
    apiKey ? { headers: { 'Spiff-Connector-Proxy-Api-Key': apiKey } } : {},
  );
  assert.equal(res.status, 200);
  return (await res.json()) as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: Record<string, unknown>;
  };
}

test('GET /v1/openapi.json is a valid OpenAPI 3.1 document with one operation per command', async () => {
  const document = await documentOf();
  const result = await new Validator().validate(document as never);
  assert.equal(result.valid, true, JSON.stringify(result.errors));
  for (const target of registry.entries()) {
    const operation = document.paths[`/v1/do/${target.connector}/${target.name}`]?.post;
    assert.ok(operation, target.id);
    assert.ok(Array.isArray(operation['x-error-codes']), target.id);
  }
  assert.ok(document.paths['/v1/commands']?.get);
  assert.ok(document.paths['/v1/liveness']?.get);
});

test('the request body lists each parameter with its type, default, enum and secret flag, plus spiff__ fields', async () => {
  const document = await documentOf();
  const body = (
    document.paths['/v1/do/http/PostRequest']?.post?.requestBody as unknown as {
      content: {
        'application/json': { schema: { properties: Record<string, Record<string, unknown>>; required: string[] } };
      };
    }
  )?.content['application/json'].schema;
  assert.ok(body);
  assert.deepEqual(body.required, ['url']);
  assert.deepEqual(body.properties.body_format?.enum, ['json', 'form', 'raw', 'none']);
  assert.equal(body.properties.body_format?.default, 'json');
  assert.equal(body.properties.basic_auth_password?.writeOnly, true);
  assert.ok(body.properties.spiff__task_data);
});

test('with an API key the document is behind it and declares it as the security scheme', async () => {
  const app = createApp(registry, { apiKey: 'k-123' });
  assert.equal((await app.request('/v1/openapi.json')).status, 401);
  const document = await documentOf('k-123');
  assert.ok((document.components.securitySchemes as Record<string, unknown>).ApiKey);
  const result = await new Validator().validate(document as never);
  assert.equal(result.valid, true, JSON.stringify(result.errors));
});
