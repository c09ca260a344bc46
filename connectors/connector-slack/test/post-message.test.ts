import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { createRegistry, type DetailedWireParameter, parseJson, startRegistry } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import slack from '../src/index.js';
import { type FakeSlack, GOOD_TOKEN, startFakeSlack } from './fake-slack.js';

const PostMessage = slack.commands.get('PostMessage');
if (!PostMessage) throw new Error('connector-slack has no PostMessage command');

let fake: FakeSlack;
before(async () => {
  fake = await startFakeSlack();
});
after(() => fake.close());
beforeEach(() => {
  fake.received.length = 0;
  fake.override = undefined;
  fake.rateLimit(0);
});

const post = (params: Record<string, unknown>, options: { timeoutMs?: number } = {}) =>
  runCommand(
    PostMessage,
    { token: GOOD_TOKEN, channel: 'C0123ABCD', message: 'hello world!', ...params },
    {
      config: { API_URL: fake.url },
      ...options,
    },
  );

/** Everything a run gives back, as one text, to search for secrets. */
const allOutput = (run: Awaited<ReturnType<typeof post>>) => JSON.stringify(run.envelope);

test("a posted message answers version 2 with Slack's JSON answer as a JSON string, Slack's status, application/json", async () => {
  const run = await post({});
  assert.equal(run.error, null);
  assert.equal(run.envelope.command_response_version, 2);
  assert.equal(run.envelope.command_response.http_status, 200);
  assert.equal(run.envelope.command_response.mimetype, 'application/json');
  assert.equal(typeof run.body, 'string', 'diagrams json.loads the body, so it stays text');
  const answer = JSON.parse(run.body as string);
  assert.equal(answer.ok, true);
  assert.equal(answer.channel, 'C0123ABCD');
  assert.match(answer.ts, /^\d+\.\d+$/);
  assert.equal(answer.message.text, 'hello world!');
});

test('the request is chat.postMessage with the bearer token and {channel, text} as JSON, nothing else', async () => {
  await post({});
  assert.equal(fake.received.length, 1);
  const [request] = fake.received;
  assert.equal(request?.method, 'POST');
  assert.equal(request?.path, '/api/chat.postMessage');
  assert.equal(request?.headers.authorization, `Bearer ${GOOD_TOKEN}`);
  assert.match(request?.headers['content-type'] ?? '', /^application\/json; charset=utf-8$/);
  assert.deepEqual(JSON.parse(request?.body ?? ''), { channel: 'C0123ABCD', text: 'hello world!' });
});

test('thread_ts and blocks go to Slack; blocks given as JSON text are read as the list they spell', async () => {
  const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*bold*' } }];
  const run = await post({ thread_ts: '1503435956.000247', blocks: JSON.stringify(blocks) });
  assert.equal(run.error, null);
  assert.deepEqual(JSON.parse(fake.received[0]?.body ?? ''), {
    channel: 'C0123ABCD',
    text: 'hello world!',
    thread_ts: '1503435956.000247',
    blocks,
  });
  const answer = JSON.parse(run.body as string);
  assert.equal(answer.message.thread_ts, '1503435956.000247');
  assert.match(run.logs.join('\n'), /in thread 1503435956\.000247/);
});

test('an empty thread_ts is left out, as a diagram sends "" for "no thread"', async () => {
  await post({ thread_ts: '' });
  assert.deepEqual(Object.keys(JSON.parse(fake.received[0]?.body ?? '')), ['channel', 'text']);
});

test('blocks that are not a list of typed objects are InvalidParameters and nothing is sent', async () => {
  for (const blocks of [{ type: 'section' }, '[{"type": "section"', [{ text: 'x' }], 'just text', 42]) {
    const run = await post({ blocks });
    assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(blocks));
    assert.equal(run.failure, 'invalid_parameters');
    assert.match(run.error?.message ?? '', /blocks/);
  }
  assert.equal(fake.received.length, 0);
});

test("ok: false is SlackMessageFailed with the joined response_metadata.messages and http_status 400 for Slack's 200", async () => {
  const run = await post({ channel: '' });
  assert.equal(run.error?.error_code, 'SlackMessageFailed');
  assert.equal(run.error?.message, '[ERROR] missing required field: channel');
  assert.equal(run.envelope.command_response.http_status, 400);
  assert.equal(run.failure, 'command');
  // Slack's answer stays readable beside the error, still as JSON text.
  assert.equal(JSON.parse(run.body as string).error, 'invalid_arguments');
});

test('several response_metadata.messages are joined with ". " as Python joins them', async () => {
  fake.override = (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        ok: false,
        error: 'invalid_blocks',
        response_metadata: { messages: ['[ERROR] no more than 50 items allowed', '[ERROR] must be a string'] },
      }),
    );
    return true;
  };
  const run = await post({});
  assert.equal(run.error?.message, '[ERROR] no more than 50 items allowed. [ERROR] must be a string');
});

test('invalid_auth is SlackMessageFailed "invalid_auth", and the token never appears in the answer', async () => {
  const token = 'xoxb-9999-wrong-token-value';
  const run = await post({ token });
  assert.equal(run.error?.error_code, 'SlackMessageFailed');
  assert.equal(run.error?.message, 'invalid_auth');
  assert.equal(run.envelope.command_response.http_status, 400);
  assert.equal(fake.received[0]?.headers.authorization, `Bearer ${token}`);
  assert.ok(!allOutput(run).includes(token));
});

test("channel_not_found comes back as Slack's error when there are no messages", async () => {
  const run = await post({ channel: '#nowhere' });
  assert.equal(run.error?.message, 'channel_not_found');
});

test('a 429 is retried after its Retry-After, within the deadline, and then succeeds', async () => {
  fake.rateLimit(1, '1');
  const started = Date.now();
  const run = await post({});
  const took = Date.now() - started;
  assert.equal(run.error, null);
  assert.equal(fake.received.length, 2);
  assert.ok(took >= 950, `waited ${took} ms for Retry-After: 1`);
  assert.match(run.logs.join('\n'), /rate limited: will retry in 1\.0 s/);
});

test('a 429 whose Retry-After would pass the deadline comes back at once as SlackMessageFailed with http_status 429', async () => {
  fake.rateLimit(1, '30');
  const started = Date.now();
  const run = await post({}, { timeoutMs: 5_000 });
  assert.ok(Date.now() - started < 2_000, 'did not wait for the rate limit');
  assert.equal(fake.received.length, 1);
  assert.equal(run.error?.error_code, 'SlackMessageFailed');
  assert.equal(run.error?.message, 'ratelimited');
  assert.equal(run.envelope.command_response.http_status, 429, 'SpiffArena retries a 429 later');
  assert.match(run.logs.join('\n'), /would pass the command's deadline/);
});

test('a call rate limited on every attempt stops after 5 attempts with http_status 429', async () => {
  fake.rateLimit(100, '0');
  const run = await post({});
  assert.equal(fake.received.length, 5);
  assert.equal(run.envelope.command_response.http_status, 429);
  assert.match(run.logs.join('\n'), /rate limited 5 times/);
});

test('a 429 without Retry-After waits one second before the retry', async () => {
  fake.rateLimit(1);
  const started = Date.now();
  const run = await post({});
  assert.equal(run.error, null);
  assert.ok(Date.now() - started >= 950);
});

test('a non-JSON answer is SlackMessageFailed "Unreadable (non JSON) response from Slack" with Slack\'s error status', async () => {
  fake.override = (_request, response) => {
    response.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
    return true;
  };
  const run = await post({});
  assert.equal(run.error?.error_code, 'SlackMessageFailed');
  assert.equal(run.error?.message, 'Unreadable (non JSON) response from Slack');
  assert.equal(run.envelope.command_response.http_status, 503);
});

test('a 200 that is not JSON, or says JSON but does not parse, is unreadable with http_status 502', async () => {
  const answers: [string, string][] = [
    ['text/plain', 'ok'],
    ['application/json', '{"ok": tru'],
    ['application/json', '[1, 2]'],
  ];
  for (const [type, text] of answers) {
    fake.override = (_request, response) => {
      response.writeHead(200, { 'content-type': type }).end(text);
      return true;
    };
    const run = await post({});
    assert.equal(run.error?.message, 'Unreadable (non JSON) response from Slack', text);
    assert.equal(run.envelope.command_response.http_status, 502);
  }
});

test('an answer without "ok": true is a failure even when Slack gives no error field', async () => {
  fake.override = (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"channel": "C0123ABCD"}');
    return true;
  };
  const run = await post({});
  assert.equal(run.error?.error_code, 'SlackMessageFailed');
  assert.match(run.error?.message ?? '', /without "ok": true/);
});

test('a refused connection is ConnectionError with http_status 502', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  const run = await runCommand(
    PostMessage,
    { token: GOOD_TOKEN, channel: 'C0123ABCD', message: 'hi' },
    { config: { API_URL: `http://127.0.0.1:${port}/api` } },
  );
  assert.equal(run.error?.error_code, 'ConnectionError');
  assert.match(run.error?.message ?? '', /ECONNREFUSED/);
  assert.equal(run.envelope.command_response.http_status, 502);
  assert.ok(!allOutput(run).includes(GOOD_TOKEN));
});

test('a Slack that does not answer before the deadline is CommandTimeout with http_status 504', async () => {
  fake.override = () => true; // never answers
  const run = await post({}, { timeoutMs: 300 });
  assert.equal(run.error?.error_code, 'CommandTimeout');
  assert.equal(run.envelope.command_response.http_status, 504);
});

test('a redirect is refused (ConnectionError), so the token is never carried to another server', async () => {
  const elsewhere = await startFakeSlack();
  try {
    fake.override = (_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/chat.postMessage` }).end();
      return true;
    };
    const run = await post({});
    assert.equal(run.error?.error_code, 'ConnectionError');
    assert.equal(elsewhere.received.length, 0);
  } finally {
    await elsewhere.close();
  }
});

test('a server that echoes the token in its error cannot leak it: the token is masked', async () => {
  fake.override = (request, response) => {
    const answer = {
      ok: false,
      error: 'invalid_auth',
      response_metadata: { messages: [`bad ${request.headers.authorization}`] },
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    return true;
  };
  const run = await post({});
  assert.equal(run.error?.error_code, 'SlackMessageFailed');
  assert.ok(!allOutput(run).includes(GOOD_TOKEN), allOutput(run));
});

test('CONNECTOR_SLACK_API_URL defaults to https://slack.com/api; a bad value stops startup naming it', async () => {
  const registry = await startRegistry([slack], { env: {} });
  assert.equal(registry.target('slack', 'PostMessage')?.config.API_URL, 'https://slack.com/api');
  await registry.close();
  for (const value of ['slack.com/api', 'ftp://slack.com/api', 'https://slack.com/api?x=1']) {
    await assert.rejects(startRegistry([slack], { env: { CONNECTOR_SLACK_API_URL: value } }), {
      message: /CONNECTOR_SLACK_API_URL must/,
    });
  }
});

test('a token that cannot go into a header (line break, control character, space) is InvalidParameters, not sent', async () => {
  for (const token of ['xoxb-1\r\nX-Injected: 1', 'xoxb\u0000', 'xoxb 1', 'xoxb-é']) {
    const run = await post({ token });
    assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(token));
    assert.ok(!allOutput(run).includes(token));
  }
  assert.equal(fake.received.length, 0);
});

test('numbers in blocks reach Slack with every digit, also beyond 2^53', async () => {
  const parsed = parseJson('[{"type": "section", "block_id": 123456789012345678901234567890, "n": 9007199254740993}]');
  assert.ok(parsed.ok);
  const run = await post({ blocks: parsed.value });
  assert.equal(run.error, null);
  assert.match(fake.received[0]?.body ?? '', /"block_id":123456789012345678901234567890,"n":9007199254740993/);
});

test('the detailed listing shows the JSON Schema of blocks (a list of typed blocks, or its text)', () => {
  const entry = createRegistry([slack]).list({ detailed: true })[0];
  const blocksEntry: DetailedWireParameter | undefined = entry?.parameters.find((p) => p.id === 'blocks');
  const schema = blocksEntry?.schema;
  assert.ok(schema, JSON.stringify(entry));
  assert.match(JSON.stringify(schema), /"type":"array"/);
});
