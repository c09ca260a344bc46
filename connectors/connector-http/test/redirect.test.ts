import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import {
  DeleteRequestV2,
  GetRequestV2,
  HeadRequest,
  HeadRequestV2,
  PatchRequestV2,
  PostRequest,
  PostRequestV2,
  PutRequestV2,
} from '../src/commands/index.js';
import { MAX_REDIRECTS } from '../src/redirect.js';
import { echo, type Route, startServer, type TestServer } from './server.js';

const redirectTo =
  (status: number, location: string | (() => string)): Route =>
  (_seen, response) => {
    response.writeHead(status, { location: typeof location === 'string' ? location : location() });
    response.end();
  };

// /chain?n=3 redirects to /chain?n=2, then /chain?n=1, then /echo: n redirects in all.
const chain: Route = (seen, response) => {
  const left = Number(new URL(seen.url, 'http://test').searchParams.get('n'));
  redirectTo(302, left > 1 ? `/chain?n=${left - 1}` : '/echo')(seen, response);
};

let server: TestServer;
let elsewhere: TestServer;

before(async () => {
  elsewhere = await startServer({ '/echo': echo });
  server = await startServer({
    '/echo': echo,
    '/301': redirectTo(301, '/echo'),
    '/302': redirectTo(302, '/echo?from=302'),
    '/303': redirectTo(303, '/echo'),
    '/307': redirectTo(307, '/echo'),
    '/308': redirectTo(308, '/echo'),
    '/loop': redirectTo(302, '/loop'),
    '/chain': chain,
    '/other-port': redirectTo(307, () => elsewhere.url('/echo')),
    '/ftp': redirectTo(302, 'ftp://127.0.0.1/file'),
  });
});

after(async () => {
  await server.close();
  await elsewhere.close();
});

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

function seenBody(body: unknown): Seen {
  assert.ok(typeof body === 'object' && body !== null);
  return JSON.parse(JSON.stringify(body));
}

test('redirects are followed and the final status is reported', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/301') });
  assert.equal(run.error, null);
  assert.equal(run.envelope.command_response.http_status, 200);
  assert.equal(seenBody(run.body).url, '/echo');
  assert.ok(run.logs.some((line) => line.startsWith('was redirected to')));
});

// What requests' rebuild_method and header purge make of each redirect.
for (const { command, status, method, keepsBody, length } of [
  { command: PostRequestV2, status: 301, method: 'GET', keepsBody: false, length: undefined },
  { command: PutRequestV2, status: 301, method: 'PUT', keepsBody: false, length: '0' },
  { command: PatchRequestV2, status: 301, method: 'PATCH', keepsBody: false, length: '0' },
  { command: DeleteRequestV2, status: 301, method: 'DELETE', keepsBody: false, length: undefined },
  { command: PutRequestV2, status: 302, method: 'GET', keepsBody: false, length: undefined },
  { command: PostRequest, status: 302, method: 'GET', keepsBody: false, length: undefined },
  { command: DeleteRequestV2, status: 303, method: 'GET', keepsBody: false, length: undefined },
  { command: PatchRequestV2, status: 307, method: 'PATCH', keepsBody: true, length: '8' },
  { command: DeleteRequestV2, status: 308, method: 'DELETE', keepsBody: true, length: '8' },
]) {
  const name = `${command === PostRequest ? 'PostRequest' : method}`;
  test(`a ${status} after a ${name} is followed as requests follows it: ${method}, ${keepsBody ? 'body kept' : 'body and Content-Type dropped'}`, async () => {
    const run = await runCommand(command, { url: server.url(`/${status}`), data: { a: 1 } });
    assert.equal(run.error, null);
    const seen = seenBody(run.body);
    assert.equal(seen.method, method);
    assert.equal(seen.body, keepsBody ? '{"a": 1}' : '');
    assert.equal(seen.headers['content-type'], keepsBody ? 'application/json' : undefined);
    assert.equal(seen.headers['content-length'], length);
  });
}

test(`up to ${MAX_REDIRECTS} redirects are followed, as requests does; one more is TooManyRedirects with a 5xx status`, async () => {
  const most = await runCommand(GetRequestV2, { url: server.url(`/chain?n=${MAX_REDIRECTS}`) });
  assert.equal(most.error, null);
  assert.equal(seenBody(most.body).url, '/echo');
  const before = server.seenAt('/loop').length;
  const loop = await runCommand(GetRequestV2, { url: server.url('/loop') });
  assert.equal(loop.error?.error_code, 'TooManyRedirects');
  assert.match(loop.error?.message ?? '', /Exceeded 30 redirects/);
  assert.equal(loop.envelope.command_response.http_status, 502);
  assert.equal(server.seenAt('/loop').length - before, MAX_REDIRECTS + 1);
});

test('credentials and cookies are dropped on a redirect to another origin, kept on the same one', async () => {
  const auth = { basic_auth_username: 'ada', basic_auth_password: 'lovelace', headers: { Cookie: 'session=1' } };
  const away = seenBody((await runCommand(GetRequestV2, { url: server.url('/other-port'), ...auth })).body);
  assert.equal(away.headers.authorization, undefined);
  assert.equal(away.headers.cookie, undefined);
  assert.equal(elsewhere.seenAt('/echo').length, 1);
  await runCommand(GetRequestV2, { url: server.url('/307'), ...auth });
  // What the server saw (the echo in the answer is masked): both kept on the same origin.
  const same = server.seenAt('/echo').at(-1);
  assert.match(same?.headers.authorization ?? '', /^Basic /);
  assert.equal(same?.headers.cookie, 'session=1');
});

test('HEAD does not follow redirects, as requests.head: the 3xx status comes back as a result', async () => {
  for (const command of [HeadRequestV2, HeadRequest]) {
    const before = server.seen.length;
    const run = await runCommand(command, { url: server.url('/302') });
    assert.equal(run.error, null);
    assert.equal(run.envelope.command_response.http_status, 302);
    assert.deepEqual(run.body, { raw_response: '' });
    assert.equal(server.seen.length - before, 1);
  }
});

test('a redirect to a URL that is not http(s) is a ConnectionError', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/ftp') });
  assert.equal(run.error?.error_code, 'ConnectionError');
  assert.match(run.error?.message ?? '', /ftp: URL/);
});
