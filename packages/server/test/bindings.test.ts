/**
 * rawHeader reads a header from rawHeaders without making Node build `headers`; it must give what
 * `headers` gives. Raw requests (any case, repeated headers) go to a real port, whose handler
 * compares the two for every name.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { incomingHeader, rawHeader } from '../src/bindings.js';
import { exchange } from './raw-socket.js';

const NAMES = [
  'content-length',
  'content-type',
  'transfer-encoding',
  'spiff-connector-proxy-api-key',
  'x-custom',
  'host',
  'cookie',
  'authorization',
  'user-agent',
  'accept',
  'absent',
];

test('rawHeader gives what IncomingMessage.headers gives, for repeated headers and any case', async () => {
  const seen: { raw: (string | undefined)[]; built: (string | undefined)[] }[] = [];
  const server = createServer((req, res) => {
    // rawHeader first: it must not depend on headers having been built.
    const raw = NAMES.map((name) => rawHeader(req, name));
    const built = NAMES.map((name) => incomingHeader(req, name));
    seen.push({ raw, built });
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const requests = [
      'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}',
      'POST /x HTTP/1.1\r\nhost: a\r\ncontent-length: 2\r\nCONTENT-TYPE: text/plain\r\ncontent-type: application/json\r\n\r\n{}',
      'POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
      [
        'GET /x HTTP/1.1',
        'Host: a',
        'Spiff-Connector-Proxy-Api-Key: one',
        'spiff-connector-proxy-api-key: two',
        'X-Custom: 1',
        'x-CUSTOM: 2',
        'x-custom: 3',
        'Cookie: a=1',
        'cookie: b=2',
        'Authorization: Bearer first',
        'authorization: Bearer second',
        'User-Agent: ua',
        'Accept: a',
        'accept: b',
        '',
        '',
      ].join('\r\n'),
    ];
    for (const request of requests) await exchange(port, [request], { hangUpAfterMs: 100 });
  } finally {
    server.closeAllConnections();
    server.close();
  }
  assert.equal(seen.length, 4);
  for (const { raw, built } of seen) assert.deepEqual(raw, built);
  // The cases above mean something: the repeated ones were seen repeated.
  assert.equal(seen[3]?.raw[NAMES.indexOf('x-custom')], '1, 2, 3');
  assert.equal(seen[3]?.raw[NAMES.indexOf('cookie')], 'a=1; b=2');
  assert.equal(seen[1]?.raw[NAMES.indexOf('content-type')], 'text/plain');
});
