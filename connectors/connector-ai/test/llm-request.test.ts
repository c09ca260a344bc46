import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { parseJson, startRegistry, toWireResponse } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import ai from '../src/index.js';
import { errorBody, type FakeOpenAi, GOOD_KEY, MODEL, startFakeOpenAi } from './fake-openai.js';

const LlmRequest = ai.commands.get('LlmRequest');
if (!LlmRequest) throw new Error('connector-ai has no LlmRequest command');

let fake: FakeOpenAi;
let other: FakeOpenAi;
before(async () => {
  fake = await startFakeOpenAi();
  other = await startFakeOpenAi();
});
after(async () => {
  await fake.close();
  await other.close();
});
beforeEach(() => {
  for (const server of [fake, other]) {
    server.received.length = 0;
    server.override = undefined;
  }
});

const hello = [{ role: 'user', content: 'hello' }];
const ask = (params: Record<string, unknown>, options: { config?: Record<string, string>; timeoutMs?: number } = {}) =>
  runCommand(LlmRequest, { model: MODEL, messages: hello, api_base: fake.base, api_key: GOOD_KEY, ...params }, options);
const sent = (server: FakeOpenAi, index = 0) => JSON.parse(server.received[index]?.body ?? 'null');

test('a completion comes back as the version-2 body: choices, usage and the rest, with the API status', async () => {
  const run = await ask({});
  assert.equal(run.error, null);
  assert.equal(run.envelope.command_response.http_status, 200);
  assert.equal(run.envelope.command_response.mimetype, 'application/json');
  const body = run.body as { object: string; choices: { message: { content: string } }[]; usage: object };
  assert.equal(body.object, 'chat.completion');
  assert.equal(body.choices[0]?.message.content, 'You said: hello');
  assert.deepEqual(body.usage, { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 });
  assert.match(run.logs.join('\n'), /completion: 1 choice, finish_reason stop, 19 tokens/);
});

test('the request is one POST to <api_base>/chat/completions with the bearer key and {model, messages}', async () => {
  await ask({});
  assert.equal(fake.received.length, 1);
  const [request] = fake.received;
  assert.equal(request?.method, 'POST');
  assert.equal(request?.path, '/v1/chat/completions');
  assert.equal(request?.headers.authorization, `Bearer ${GOOD_KEY}`);
  assert.equal(request?.headers['content-type'], 'application/json');
  assert.deepEqual(sent(fake), { model: MODEL, messages: hello });
});

test('api_base with a trailing slash reaches the same URL', async () => {
  const run = await ask({ api_base: `${fake.base}/` });
  assert.equal(run.error, null);
  assert.equal(fake.received[0]?.path, '/v1/chat/completions');
});

test('without api_base and api_key, CONNECTOR_AI_API_BASE and CONNECTOR_AI_API_KEY are used', async () => {
  const run = await runCommand(
    LlmRequest,
    { model: MODEL, messages: hello },
    {
      config: { API_BASE: fake.base, API_KEY: GOOD_KEY },
    },
  );
  assert.equal(run.error, null);
  assert.equal(fake.received[0]?.headers.authorization, `Bearer ${GOOD_KEY}`);
});

test('the configured key is never sent to an api_base the diagram chose', async () => {
  const run = await runCommand(
    LlmRequest,
    { model: MODEL, messages: hello, api_base: other.base },
    {
      config: { API_BASE: fake.base, API_KEY: GOOD_KEY },
    },
  );
  assert.equal(other.received.length, 1);
  assert.equal(other.received[0]?.headers.authorization, undefined);
  assert.equal(fake.received.length, 0);
  assert.equal(run.error?.error_code, 'HttpError401');
  assert.match(run.logs.join('\n'), /configured API key is not sent to another api_base/);
});

test('the configured key goes to the configured base even when the diagram names it as api_base', async () => {
  const run = await runCommand(
    LlmRequest,
    { model: MODEL, messages: hello, api_base: `${fake.base}/` },
    {
      config: { API_BASE: fake.base, API_KEY: GOOD_KEY },
    },
  );
  assert.equal(run.error, null);
});

test('tools are sent, and a tool call comes back in choices[0].message.tool_calls with finish_reason tool_calls', async () => {
  const tools = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Weather of a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ];
  const run = await ask({ messages: [{ role: 'user', content: 'What is the weather in Paris?' }], tools });
  assert.equal(run.error, null);
  assert.deepEqual(sent(fake).tools, tools);
  const choice = (run.body as { choices: { finish_reason: string; message: { tool_calls: unknown[] } }[] }).choices[0];
  assert.equal(choice?.finish_reason, 'tool_calls');
  assert.deepEqual(choice?.message.tool_calls, [
    { id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
  ]);
  assert.match(run.logs.join('\n'), /1 tool call/);
});

test("an empty tools list is left out (APIs refuse []); one text as messages is the user's message", async () => {
  await ask({ tools: [], messages: 'Say hi' });
  assert.deepEqual(sent(fake), { model: MODEL, messages: [{ role: 'user', content: 'Say hi' }] });
});

test('options add Chat Completions fields; model, messages, tools and stream cannot be set through them', async () => {
  const run = await ask({ options: { temperature: 0.2, max_tokens: 50 } });
  assert.equal(run.error, null);
  assert.deepEqual(sent(fake), { model: MODEL, messages: hello, temperature: 0.2, max_tokens: 50 });
  assert.equal((run.body as { echoed_temperature: number }).echoed_temperature, 0.2);
  await ask({ options: { stream: false } });
  assert.equal(sent(fake, 1).stream, undefined, 'stream: false is what the command does anyway');
  for (const options of [{ stream: true }, { model: 'x' }, { messages: [] }, 'temperature=1', [1]]) {
    const refused = await ask({ options });
    assert.equal(refused.error?.error_code, 'InvalidParameters', JSON.stringify(options));
  }
});

test('malformed messages, tools, model or api_base are InvalidParameters and nothing is sent', async () => {
  const cases: Record<string, unknown>[] = [
    { messages: [] },
    { messages: [{ content: 'no role' }] },
    { messages: { role: 'user', content: 'one message, not a list' } },
    { messages: '  ' },
    { tools: { type: 'function' } },
    { tools: [{ name: 'x' }] },
    { model: '  ' },
    { api_base: 'not a url' },
    { api_base: 'ftp://127.0.0.1/v1' },
    { model: null },
  ];
  for (const params of cases) {
    const run = await ask(params);
    assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(params));
    assert.equal(run.failure, 'invalid_parameters');
  }
  assert.equal(fake.received.length, 0);
});

test("a wrong key is HttpError401 with the API's message and error body; the key is masked everywhere", async () => {
  const wrong = 'sk-wrong-key-that-must-stay-secret';
  const run = await ask({ api_key: wrong });
  assert.equal(run.error?.error_code, 'HttpError401');
  assert.equal(run.envelope.command_response.http_status, 401);
  assert.match(
    run.error?.message ?? '',
    /^HTTP 401 from POST http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: Incorrect API key provided/,
  );
  assert.equal((run.body as { error: { code: string } }).error.code, 'invalid_api_key');
  assert.ok(!JSON.stringify(run.envelope).includes(wrong));
});

test('no key at all sends no Authorization header, and the log says so', async () => {
  const run = await ask({ api_key: undefined });
  assert.equal(fake.received[0]?.headers.authorization, undefined);
  assert.equal(run.error?.error_code, 'HttpError401');
  assert.match(run.error?.message ?? '', /You didn't provide an API key/);
  assert.match(run.logs.join('\n'), /\(no API key\)/);
});

test("an unknown model is HttpError404 with the API's message", async () => {
  const run = await ask({ model: 'gpt-nope' });
  assert.equal(run.error?.error_code, 'HttpError404');
  assert.match(run.error?.message ?? '', /The model `gpt-nope` does not exist/);
});

test('429 and 500 error bodies become HttpError429 and HttpError500 with their messages and statuses', async () => {
  const answers: [number, ReturnType<typeof errorBody>][] = [
    [429, errorBody('Rate limit reached for requests', 'requests', 'rate_limit_exceeded')],
    [500, errorBody('The server had an error while processing your request. Sorry about that!', 'server_error', null)],
  ];
  for (const [status, body] of answers) {
    fake.override = (_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      return true;
    };
    const run = await ask({});
    assert.equal(run.error?.error_code, `HttpError${status}`);
    assert.equal(run.envelope.command_response.http_status, status);
    assert.ok(run.error?.message.endsWith(body.error.message), run.error?.message);
    assert.deepEqual(run.body, body);
  }
});

test('an error answer that is not JSON is quoted (bounded) in the message', async () => {
  fake.override = (_request, response) => {
    response.writeHead(502, { 'content-type': 'text/html' }).end(`<html>Bad Gateway${'x'.repeat(2000)}</html>`);
    return true;
  };
  const run = await ask({});
  assert.equal(run.error?.error_code, 'HttpError502');
  assert.match(run.error?.message ?? '', /: <html>Bad Gateway/);
  assert.ok((run.error?.message.length ?? 0) < 700);
});

test('a 200 that is not a JSON object is InvalidResponse with http_status 502', async () => {
  for (const text of ['not json', '[1, 2]', '']) {
    fake.override = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(text);
      return true;
    };
    const run = await ask({});
    assert.equal(run.error?.error_code, 'InvalidResponse', text);
    assert.equal(run.envelope.command_response.http_status, 502);
  }
});

test('a refused connection is ConnectionError 502; an API that does not answer in time is CommandTimeout 504', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const refused = await ask({ api_base: `http://127.0.0.1:${port}/v1` });
  assert.equal(refused.error?.error_code, 'ConnectionError');
  assert.match(refused.error?.message ?? '', /ECONNREFUSED/);
  assert.equal(refused.envelope.command_response.http_status, 502);

  fake.override = () => true;
  const slow = await ask({}, { timeoutMs: 300 });
  assert.equal(slow.error?.error_code, 'CommandTimeout');
  assert.equal(slow.envelope.command_response.http_status, 504);
});

test('an API that echoes the key in its error cannot leak it: param and configured keys are masked', async () => {
  fake.override = (request, response) => {
    const error = errorBody(
      `Incorrect API key provided: ${request.headers.authorization}`,
      'invalid_request_error',
      null,
    );
    response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify(error));
    return true;
  };
  const configured = 'sk-configured-key-never-shown-0123';
  const fromConfig = await runCommand(
    LlmRequest,
    { model: MODEL, messages: hello },
    {
      config: { API_BASE: fake.base, API_KEY: configured },
    },
  );
  assert.equal(fromConfig.error?.error_code, 'HttpError401');
  assert.ok(!JSON.stringify(fromConfig.envelope).includes(configured), JSON.stringify(fromConfig.envelope));
  const given = 'sk-given-key-never-shown-4567';
  const fromParam = await ask({ api_key: given });
  assert.ok(!JSON.stringify(fromParam.envelope).includes(given));
});

test('CONNECTOR_AI_API_BASE must be an http(s) URL: a bad one stops startup naming the variable', async () => {
  await assert.rejects(startRegistry([ai], { env: { CONNECTOR_AI_API_BASE: 'api.openai.com' } }), {
    message: /CONNECTOR_AI_API_BASE must be an absolute URL/,
  });
  const registry = await startRegistry([ai], { env: {} });
  assert.equal(registry.target('ai', 'LlmRequest')?.config.API_BASE, 'https://api.openai.com/v1');
  await registry.close();
});

test('an api_key that cannot go into a header is InvalidParameters, and nothing is sent', async () => {
  for (const api_key of ['sk-1\r\nX-Injected: 1', 'sk\u0000', 'sk 1']) {
    const run = await ask({ api_key });
    assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(api_key));
  }
  assert.equal(fake.received.length, 0);
});

test('numbers keep every digit both ways: in options and messages to the API, in the completion back', async () => {
  const parsed = parseJson('{"seed": 12345678901234567890, "logit_bias": {"9007199254740993": 1}}');
  assert.ok(parsed.ok);
  fake.override = (_request, response) => {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"id": "c", "choices": [], "usage": {"total_tokens": 5}, "trace_id": 123456789012345678901234567890}');
    return true;
  };
  const run = await ask({ options: parsed.value });
  assert.equal(run.error, null);
  assert.match(fake.received[0]?.body ?? '', /"seed":12345678901234567890/);
  assert.match(toWireResponse(run.invocation).body ?? '', /"trace_id":123456789012345678901234567890/);
});
