import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import { GetRequest, GetRequestV2, HeadRequest, HeadRequestV2 } from '../src/commands/index.js';
import { EXCERPT_LENGTH } from '../src/response.js';
import { reply, startServer, type TestServer } from './server.js';

const XML_DOCUMENT = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<ns:catalog xmlns:ns="urn:books" version="2">',
  '  <ns:book id="1" lang="en">Dune</ns:book>',
  '  <ns:book id="2"><title>Emma</title><note><![CDATA[<b>classic</b> & more]]></note></ns:book>',
  '  <empty/>',
  '  <p>Hello <b>world</b> again</p>',
  '</ns:catalog>',
].join('\n');

const XML_JSON = {
  'ns:catalog': {
    '@xmlns:ns': 'urn:books',
    '@version': '2',
    'ns:book': [
      { '@id': '1', '@lang': 'en', '#text': 'Dune' },
      { '@id': '2', title: 'Emma', note: '<b>classic</b> & more' },
    ],
    empty: null,
    p: { b: 'world', '#text': 'Hello  again' },
  },
};

const declaration = (encoding: string) => `<?xml version="1.0" encoding="${encoding}"?>`;
const latin1Xml = (encoding: string) => Buffer.from(`${declaration(encoding)}<r>café</r>`, 'latin1');

let server: TestServer;

before(async () => {
  server = await startServer({
    '/json': reply(200, 'application/json; charset=utf-8', '{"hey": "we_return", "n": [1, 2.5, null, true]}'),
    '/json-list': reply(200, 'application/json', '[1, "two"]'),
    '/xml': reply(200, 'application/xml', XML_DOCUMENT),
    '/text-xml': reply(200, 'text/xml; charset=utf-8', '<hey>we_return</hey>'),
    '/text': reply(200, 'text/plain; charset=utf-8', 'plain words, Zoë'),
    '/latin1': reply(200, 'text/plain; charset=iso-8859-1', Buffer.from([0x63, 0x61, 0x66, 0xe9])),
    '/html': reply(200, 'text/html', '<html><body><p>Hey<br></body></html>'),
    '/no-type': reply(200, undefined, 'untyped'),
    '/problem-json': reply(200, 'application/problem+json', '{"title": "x"}'),
    '/empty': reply(200, 'text/plain', ''),
    '/empty-json': reply(200, 'application/json', ''),
    '/no-content': reply(204, 'application/json', ''),
    '/bad-json': reply(200, 'application/json', '{"unterminated": '),
    '/bad-xml': reply(200, 'text/xml', '<a><b></a>'),
    '/created': reply(201, 'application/json', '{"id": 7}'),
    '/missing': reply(404, 'application/json', '{"detail": "no such thing"}'),
    '/missing-html': reply(404, 'application/json', '<html>not json at all</html>'),
    '/bad-request': reply(400, 'application/json', '{"field": "required"}'),
    '/not-modified': reply(304, undefined, ''),
    '/teapot': reply(418, 'text/plain', 'short and stout'),
    '/huge-error': reply(500, 'text/plain', 'x'.repeat(EXCERPT_LENGTH * 3)),
    '/xml-latin1': reply(200, 'application/xml', latin1Xml('ISO-8859-1')),
    '/xml-charset-wins': reply(200, 'text/xml; charset=utf-8', `${declaration('ISO-8859-1')}<r>café</r>`),
    '/xml-bom-wins': reply(200, 'application/xml', `\ufeff${declaration('ISO-8859-1')}<r>café</r>`),
    '/xml-utf16': reply(200, 'application/xml', Buffer.from(`\ufeff${declaration('UTF-16')}<r>café</r>`, 'utf16le')),
    '/json-nan': reply(200, 'application/json', '{"a": NaN, "b": [Infinity, -Infinity], "n": 1}'),
    '/head-json': reply(200, 'application/json', '{"would": "be the GET body"}'),
  });
});

after(() => server.close());

for (const [name, command] of [
  ['GetRequestV2', GetRequestV2],
  ['GetRequest', GetRequest],
] as const) {
  test(`${name} parses a JSON body and reports the upstream status with mimetype application/json`, async () => {
    const run = await runCommand(command, { url: server.url('/json') });
    assert.equal(run.error, null);
    assert.deepEqual(run.body, { hey: 'we_return', n: [1, 2.5, null, true] });
    assert.equal(run.envelope.command_response.mimetype, 'application/json');
    assert.equal(run.envelope.command_response.http_status, 200);
  });

  test(`${name} turns an application/xml body into xmltodict's JSON`, async () => {
    const run = await runCommand(command, { url: server.url('/xml') });
    assert.equal(run.error, null);
    assert.deepEqual(run.body, XML_JSON);
  });

  test(`${name} answers a 404 with HttpError404, the status and an excerpt of the upstream body`, async () => {
    const run = await runCommand(command, { url: server.url('/missing') });
    assert.equal(run.error?.error_code, 'HttpError404');
    assert.match(run.error?.message ?? '', /no such thing/);
    assert.equal(run.envelope.command_response.http_status, 404);
    assert.equal(run.failure, 'command');
    // The upstream answer rides beside the error, as in Python, so a diagram can read it.
    assert.deepEqual(run.body, { detail: 'no such thing' });
  });
}

test('a JSON body that is a list is returned as that list', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/json-list') });
  assert.deepEqual(run.body, [1, 'two']);
});

test('a text/xml body with a charset is read as XML too', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/text-xml') });
  assert.deepEqual(run.body, { hey: 'we_return' });
});

test('plain text comes back as raw_response, decoded as UTF-8', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/text') });
  assert.deepEqual(run.body, { raw_response: 'plain words, Zoë' });
});

test('the charset named in Content-Type is used to decode the body', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/latin1') });
  assert.deepEqual(run.body, { raw_response: 'café' });
});

test('XML without a charset in Content-Type is decoded with the encoding its declaration names', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/xml-latin1') });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { r: 'café' });
});

test('the Content-Type charset, then a byte order mark, win over the XML declaration', async () => {
  for (const path of ['/xml-charset-wins', '/xml-bom-wins', '/xml-utf16']) {
    const run = await runCommand(GetRequestV2, { url: server.url(path) });
    assert.deepEqual(run.body, { r: 'café' }, path);
  }
});

test('HTML is returned as raw_response, never parsed as XML', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/html') });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { raw_response: '<html><body><p>Hey<br></body></html>' });
});

test('a body without Content-Type, or with a +json type, is returned as raw_response as Python does', async () => {
  const untyped = await runCommand(GetRequestV2, { url: server.url('/no-type') });
  assert.deepEqual(untyped.body, { raw_response: 'untyped' });
  const problem = await runCommand(GetRequestV2, { url: server.url('/problem-json') });
  assert.deepEqual(problem.body, { raw_response: '{"title": "x"}' });
});

test('an empty text body is an empty raw_response', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/empty') });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { raw_response: '' });
});

test('an empty body that claims JSON is a JSONDecodeError, as in Python', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/empty-json') });
  assert.equal(run.error?.error_code, 'JSONDecodeError');
  assert.equal(run.envelope.command_response.http_status, 200);
});

test('a 204 answer has no body to parse, whatever its Content-Type', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/no-content') });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { raw_response: '' });
  assert.equal(run.envelope.command_response.http_status, 204);
});

test('HEAD on a JSON resource succeeds with an empty raw_response', async () => {
  for (const command of [HeadRequestV2, HeadRequest]) {
    const run = await runCommand(command, { url: server.url('/head-json') });
    assert.equal(run.error, null);
    assert.deepEqual(run.body, { raw_response: '' });
    assert.equal(run.envelope.command_response.http_status, 200);
  }
  assert.ok(server.seenAt('/head-json').every((seen) => seen.method === 'HEAD'));
});

test("NaN and Infinity in a JSON answer are accepted as Python's json accepts them, as null", async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/json-nan') });
  assert.equal(run.error, null);
  assert.deepEqual(run.body, { a: null, b: [null, null], n: 1 });
});

test('a body that claims JSON but does not parse is a JSONDecodeError quoting the body', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/bad-json') });
  assert.equal(run.error?.error_code, 'JSONDecodeError');
  assert.match(run.error?.message ?? '', /"unterminated"/);
  assert.equal(run.envelope.command_response.http_status, 200);
});

test('a body that claims XML but is not well-formed is an ExpatError', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/bad-xml') });
  assert.equal(run.error?.error_code, 'ExpatError');
  assert.match(run.error?.message ?? '', /<a><b><\/a>/);
});

test('a parse failure carries the raw answer as the body beside the error, as in Python', async () => {
  for (const [command, path, text] of [
    [GetRequestV2, '/bad-json', '{"unterminated": '],
    [GetRequest, '/bad-xml', '<a><b></a>'],
    [GetRequestV2, '/empty-json', ''],
  ] as const) {
    const run = await runCommand(command, { url: server.url(path) });
    assert.notEqual(run.error, null, path);
    assert.deepEqual(run.envelope.command_response, {
      body: { raw_response: text },
      mimetype: 'application/json',
      http_status: 200,
    });
  }
});

test('a 2xx status other than 200 is reported as it is', async () => {
  const run = await runCommand(GetRequest, { url: server.url('/created') });
  assert.equal(run.error, null);
  assert.equal(run.envelope.command_response.http_status, 201);
});

test('an error status wins over a body that does not parse, so boundary events on HttpError404 still catch', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/missing-html') });
  assert.equal(run.error?.error_code, 'HttpError404');
  assert.equal(typeof (run.body as { raw_response?: unknown }).raw_response, 'string');
});

test('400 is the first error status; a 3xx answer that is not a redirect is a result', async () => {
  const bad = await runCommand(GetRequestV2, { url: server.url('/bad-request') });
  assert.equal(bad.error?.error_code, 'HttpError400');
  assert.equal(bad.envelope.command_response.http_status, 400);
  const notModified = await runCommand(GetRequestV2, { url: server.url('/not-modified') });
  assert.equal(notModified.error, null);
  assert.deepEqual(notModified.body, { raw_response: '' });
  assert.equal(notModified.envelope.command_response.http_status, 304);
});

test('any 4xx status becomes HttpError<status>', async () => {
  const run = await runCommand(GetRequest, { url: server.url('/teapot') });
  assert.equal(run.error?.error_code, 'HttpError418');
  assert.equal(run.envelope.command_response.http_status, 418);
});

test('the upstream body quoted in an error message is bounded', async () => {
  const run = await runCommand(GetRequestV2, { url: server.url('/huge-error') });
  assert.equal(run.error?.error_code, 'HttpError500');
  const message = run.error?.message ?? '';
  assert.ok(message.length < EXCERPT_LENGTH + 300, `message is ${message.length} characters`);
  assert.match(message, /more characters/);
});
