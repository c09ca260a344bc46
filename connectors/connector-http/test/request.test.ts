import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import { GetRequest, GetRequestV2, PatchRequestV2, PostRequestV2 } from '../src/commands/index.js';
import { closedPort, echo, reply, startServer, type TestServer } from './server.js';

let server: TestServer;

before(async () => {
  server = await startServer({
    '/echo': echo,
    // Decodes Basic credentials as a server does: base64, then the bytes as Latin-1 and as UTF-8.
    '/whoami': (seen, response) => {
      const bytes = Buffer.from((seen.headers.authorization ?? '').replace(/^Basic /, ''), 'base64');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ latin1: bytes.toString('latin1'), utf8: bytes.toString('utf8') }));
    },
    '/slow': (_seen, response) => {
      setTimeout(() => reply(200, 'application/json', '{"late": true}')(_seen, response), 5_000).unref();
    },
  });
});

after(() => server.close());

function seenBody(body: unknown): { method: string; url: string; headers: Record<string, string>; body: string } {
  assert.ok(typeof body === 'object' && body !== null);
  return JSON.parse(JSON.stringify(body));
}

test('params are added to the query string, keeping the query already in the URL', async () => {
  const run = await runCommand(GetRequestV2, {
    url: server.url('/echo?fixed=1'),
    params: { q: 'two words', tag: ['a', 'b'], flag: true, n: 3, skipped: null },
  });
  assert.equal(run.error, null);
  assert.equal(seenBody(run.body).url, '/echo?fixed=1&q=two+words&tag=a&tag=b&flag=True&n=3');
});

test('params that are not an object of scalars are refused with InvalidParameters before any call', async () => {
  const before = server.seen.length;
  const list = await runCommand(GetRequest, { url: server.url('/echo'), params: ['a'] });
  assert.equal(list.error?.error_code, 'InvalidParameters');
  assert.match(list.error?.message ?? '', /params must be an object/);
  const nested = await runCommand(GetRequestV2, { url: server.url('/echo'), params: { deep: { x: 1 } } });
  assert.equal(nested.error?.error_code, 'InvalidParameters');
  assert.match(nested.error?.message ?? '', /params\.deep/);
  assert.equal(server.seen.length, before);
});

test('headers are sent as given and a header that is not an object of text is InvalidParameters', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/echo'), headers: { 'X-Trace': 'abc', 'X-Count': 2 } });
  const seen = seenBody(run.body);
  assert.equal(seen.headers['x-trace'], 'abc');
  assert.equal(seen.headers['x-count'], '2');
  const bad = await runCommand(GetRequestV2, { url: server.url('/echo'), headers: 'Accept: text/plain' });
  assert.equal(bad.error?.error_code, 'InvalidParameters');
  const badName = await runCommand(GetRequestV2, { url: server.url('/echo'), headers: { 'bad name': 'x' } });
  assert.equal(badName.error?.error_code, 'InvalidParameters');
  const injected = await runCommand(GetRequestV2, { url: server.url('/echo'), headers: { 'X-A': 'a\r\nX-B: b' } });
  assert.equal(injected.error?.error_code, 'InvalidParameters');
  assert.doesNotMatch(injected.error?.message ?? '', /X-B: b/);
});

test('a header value outside Latin-1 or with control characters is InvalidParameters 400, never a crash', async () => {
  const before = server.seen.length;
  for (const value of ['smile \u263a', 'bell \u0007', 'Zo\u00eb \u6771']) {
    const run = await runCommand(GetRequestV2, { url: server.url('/echo'), headers: { 'X-Uni': value } });
    assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(value));
    assert.equal(run.envelope.command_response.http_status, 400);
    assert.match(run.error?.message ?? '', /headers\.X-Uni/);
    assert.doesNotMatch(run.error?.message ?? '', /smile|bell|Zo/);
  }
  assert.equal(server.seen.length, before);
  // Latin-1 itself is fine: it is what HTTP headers carry.
  const latin1 = await runCommand(GetRequestV2, { url: server.url('/echo'), headers: { 'X-Uni': 'caf\u00e9\tok' } });
  assert.equal(latin1.error, null);
  assert.equal(seenBody(latin1.body).headers['x-uni'], 'caf\u00e9\tok');
});

test('headers the HTTP client manages are ignored with a log line instead of failing the call', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/echo'), headers: { 'Transfer-Encoding': 'chunked' } });
  assert.equal(run.error, null);
  assert.ok(run.logs.some((line) => line.includes('ignored header Transfer-Encoding')));
});

/** The Authorization header of the last request the test server received, decoded both ways. */
function lastAuthorization(): { header: string | undefined; latin1: string; utf8: string } {
  const header = server.seen.at(-1)?.headers.authorization;
  const bytes = Buffer.from((header ?? '').replace(/^Basic /, ''), 'base64');
  return { header, latin1: bytes.toString('latin1'), utf8: bytes.toString('utf8') };
}

test('basic auth is sent only when both user name and password are given, and never comes back', async () => {
  const both = await runCommand(GetRequestV2, {
    url: server.url('/echo'),
    basic_auth_username: 'ada',
    basic_auth_password: 'lovelace',
  });
  const sent = `Basic ${Buffer.from('ada:lovelace').toString('base64')}`;
  assert.equal(lastAuthorization().header, sent);
  // The echo holds the header; the answer masks it and the password, in every form.
  assert.equal(seenBody(both.body).headers.authorization, '***');
  assert.ok(!JSON.stringify(both.envelope).includes('lovelace'));
  assert.ok(!JSON.stringify(both.envelope).includes(sent.slice(6)));
  await runCommand(GetRequest, { url: server.url('/echo'), basic_auth_username: 'ada' });
  assert.equal(lastAuthorization().header, undefined);
  await runCommand(GetRequest, { url: server.url('/echo'), basic_auth_password: 'lovelace' });
  assert.equal(lastAuthorization().header, undefined);
});

test('basic auth is encoded as Latin-1 when it can be, as requests does, and as UTF-8 otherwise', async () => {
  await runCommand(GetRequestV2, {
    url: server.url('/whoami'),
    basic_auth_username: 'j\u00e9',
    basic_auth_password: 'p\u00e4',
  });
  assert.equal(lastAuthorization().latin1, 'j\u00e9:p\u00e4');
  await runCommand(GetRequest, { url: server.url('/whoami').replace('http://', 'http://j%C3%A9:p%C3%A4@') });
  assert.equal(lastAuthorization().latin1, 'j\u00e9:p\u00e4');
  await runCommand(GetRequest, { url: server.url('/whoami').replace('http://', 'http://a%zz:b@') });
  assert.equal(lastAuthorization().latin1, 'a%zz:b');
  await runCommand(GetRequestV2, {
    url: server.url('/whoami'),
    basic_auth_username: 'j\u00e9',
    basic_auth_password: 'p\u00e4\u263a',
  });
  assert.equal(lastAuthorization().utf8, 'j\u00e9:p\u00e4\u263a');
});

test('user:password in the URL is used as basic auth, as requests does, and masked in the answer', async () => {
  const url = server.url('/echo').replace('http://', 'http://grace:hop%40per@');
  const run = await runCommand(GetRequest, { url });
  assert.equal(run.error, null);
  assert.equal(lastAuthorization().header, `Basic ${Buffer.from('grace:hop@per').toString('base64')}`);
  assert.ok(!JSON.stringify(run.envelope).includes('hop@per'));
  assert.ok(!JSON.stringify(run.envelope).includes('hop%40per'));
});

test('Content-Type application/json is added to a JSON body unless the caller set one, in any case', async () => {
  const added = await runCommand(PostRequestV2, { url: server.url('/echo'), data: { a: 1 } });
  assert.equal(seenBody(added.body).headers['content-type'], 'application/json');
  for (const name of ['Content-Type', 'content-type', 'CONTENT-TYPE', 'cOnTeNt-TyPe']) {
    const run = await runCommand(PostRequestV2, {
      url: server.url('/echo'),
      headers: { [name]: 'application/vnd.api+json' },
      data: { a: 1 },
    });
    assert.equal(seenBody(run.body).headers['content-type'], 'application/vnd.api+json', name);
  }
});

test('a GET sends neither a body nor a Content-Type', async () => {
  const seen = seenBody((await runCommand(GetRequestV2, { url: server.url('/echo') })).body);
  assert.equal(seen.body, '');
  assert.equal(seen.headers['content-type'], undefined);
});

test('the JSON body has the bytes Python sends: spaced separators and ASCII escapes', async () => {
  const run = await runCommand(PatchRequestV2, { url: server.url('/echo'), data: { name: 'Zoë', list: [1, true] } });
  assert.equal(seenBody(run.body).body, '{"name": "Zo\\u00eb", "list": [1, true]}');
});

test('a closed port gives ConnectionError with a 5xx status so SpiffArena may retry', async () => {
  const port = await closedPort();
  for (const command of [GetRequestV2, GetRequest]) {
    const run = await runCommand(command, { url: `http://127.0.0.1:${port}/nothing` });
    assert.equal(run.error?.error_code, 'ConnectionError');
    assert.match(run.error?.message ?? '', /ECONNREFUSED/);
    assert.equal(run.envelope.command_response.http_status, 502);
    assert.equal(run.failure, 'command');
  }
});

test('an unknown host gives ConnectionError too', async () => {
  const run = await runCommand(GetRequest, { url: 'http://no-such-host.invalid/' });
  assert.equal(run.error?.error_code, 'ConnectionError');
});

test('an answer slower than the deadline gives CommandTimeout with status 504', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/slow'), attempts: 3 }, { timeoutMs: 200 });
  assert.equal(run.error?.error_code, 'CommandTimeout');
  assert.equal(run.envelope.command_response.http_status, 504);
  assert.equal(server.seenAt('/slow').length, 1);
});

test('a URL that is not absolute http(s) is InvalidParameters and nothing is called', async () => {
  for (const url of ['example.com/path', 'ftp://example.com/file', 'http://']) {
    const run = await runCommand(GetRequestV2, { url });
    assert.equal(run.error?.error_code, 'InvalidParameters', url);
  }
});

test('logs narrate the call but never carry header values, credentials, the query or the body', async () => {
  const run = await runCommand(PostRequestV2, {
    url: `${server.url('/echo')}?api_key=query-secret-123`,
    headers: { 'X-Api-Key': 'header-secret-456' },
    data: { card: 'body-secret-789' },
    basic_auth_username: 'user-secret-000',
    basic_auth_password: 'password-secret-111',
    attempts: 2,
  });
  assert.equal(run.error, null);
  const logs = run.logs.join('\n');
  assert.match(logs, /will call POST http:\/\/127\.0\.0\.1:\d+\/echo/);
  assert.match(logs, /attempt 1 of 2/);
  assert.match(logs, /did call POST .*: status 200/);
  for (const secret of ['query-secret', 'header-secret', 'body-secret', 'user-secret', 'password-secret']) {
    assert.doesNotMatch(logs, new RegExp(secret));
  }
});

test('every problem with url, headers and params is reported at once, each with its path, and nothing is called', async () => {
  const before = server.seen.length;
  const run = await runCommand(GetRequestV2, {
    url: 'ftp://example.com',
    headers: { 'bad name': 'x', 'X-List': ['a'], 'X-Skip': null },
    params: { ok: 'x', deep: { x: 1 }, list: [1, { y: 2 }] },
  });
  assert.equal(run.error?.error_code, 'InvalidParameters');
  assert.equal(
    run.error?.message,
    'invalid parameters: url must start with http:// or https://; headers: "bad name" is not a valid header name; ' +
      'headers.X-List must be text, got a list; params.deep must be text, a number, a boolean or a list of them, got an object; ' +
      'params.list must be text, a number, a boolean or a list of them, got an object',
  );
  assert.equal(server.seen.length, before);
});
