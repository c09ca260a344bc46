import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, readConfig } from '../src/config.js';

test('with no variables the proxy listens on 127.0.0.1:7004, open, with the documented bounds', () => {
  const config = readConfig({});
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 7004);
  assert.equal(config.apiKey, undefined);
  assert.deepEqual(config.corsOrigins, []);
  assert.deepEqual(config.connectors, []);
  assert.equal(config.bodyLimitBytes, 10 * 1024 * 1024);
  assert.ok(config.commandTimeoutMs < 45_000, 'answers before the backend gives up');
  assert.equal(config.logFormat, 'text');
});

test("the Python demo app's variables carry over", () => {
  const config = readConfig({
    CONNECTOR_PROXY_API_KEY: 'k',
    CONNECTOR_PROXY_CORS_ORIGINS: 'https://a.example, https://b.example,',
    CONNECTOR_PROXY_HOST: '0.0.0.0',
    CONNECTOR_PROXY_PORT: '8200',
    CONNECTOR_PROXY_CONNECTORS: 'connector-x, ./local/connector-y',
  });
  assert.equal(config.apiKey, 'k');
  assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.port, 8200);
  assert.deepEqual(config.connectors, ['connector-x', './local/connector-y']);
});

test('an empty API key is a configuration error, not an open proxy', () => {
  assert.throws(() => readConfig({ CONNECTOR_PROXY_API_KEY: '' }), ConfigError);
  assert.throws(() => readConfig({ CONNECTOR_PROXY_API_KEY: '   ' }), /CONNECTOR_PROXY_API_KEY is set but empty/);
});

test('a bad number names the variable and the allowed range in one line', () => {
  assert.throws(
    () => readConfig({ CONNECTOR_PROXY_PORT: 'eighty' }),
    /^ConfigError: CONNECTOR_PROXY_PORT must be a whole number from 0 to 65535, got "eighty"$/,
  );
  assert.throws(() => readConfig({ CONNECTOR_PROXY_PORT: '70000' }), ConfigError);
  assert.throws(() => readConfig({ CONNECTOR_PROXY_BODY_LIMIT_BYTES: '-1' }), /CONNECTOR_PROXY_BODY_LIMIT_BYTES/);
  assert.throws(() => readConfig({ CONNECTOR_PROXY_COMMAND_TIMEOUT_MS: '1.5' }), /CONNECTOR_PROXY_COMMAND_TIMEOUT_MS/);
  assert.throws(() => readConfig({ CONNECTOR_PROXY_LOG_FORMAT: 'xml' }), /one of json, text, off/);
});

test("CONNECTOR_<NAME>_<KEY> variables are kept for the connectors, the proxy's own and others are not", () => {
  const config = readConfig({
    CONNECTOR_SMTP_CA_FILE: '/etc/ca.pem',
    CONNECTOR_SMTP_DEFAULT_FROM: 'robot@example.org',
    CONNECTOR_HTTP_USER_AGENT: 'ours',
    CONNECTOR_PROXY_PORT: '7005',
    CONNECTORS_ELSEWHERE: 'ignored',
  });
  assert.deepEqual(config.connectorEnv, {
    CONNECTOR_SMTP_CA_FILE: '/etc/ca.pem',
    CONNECTOR_SMTP_DEFAULT_FROM: 'robot@example.org',
    CONNECTOR_HTTP_USER_AGENT: 'ours',
  });
});

test('CORS origins are kept as browsers send them: lower-case host, no default port, no duplicates', () => {
  const config = readConfig({
    CONNECTOR_PROXY_CORS_ORIGINS:
      'https://Arena.Example.org, https://arena.example.org:443, http://localhost:7001, http://[::1]:8080, http://127.0.0.1:80',
  });
  assert.deepEqual(config.corsOrigins, [
    'https://arena.example.org',
    'http://localhost:7001',
    'http://[::1]:8080',
    'http://127.0.0.1',
  ]);
});

test('a CORS entry that is not an origin stops startup with one line naming the variable', () => {
  const bad: [string, RegExp][] = [
    ['notanorigin', /"notanorigin" is not an origin/],
    ['arena.example.org', /"arena\.example\.org" is not an origin/],
    ['https://arena.example.org/', /is not an origin: .*no path, e\.g\. "https:\/\/arena\.example\.org"$/],
    ['https://arena.example.org/app', /e\.g\. "https:\/\/arena\.example\.org"$/],
    ['https://arena.example.org?x=1', /is not an origin/],
    ['https://arena.example.org#top', /is not an origin/],
    ['https://user:pw@arena.example.org', /is not an origin/],
    ['ftp://files.example.org', /is not an origin: write scheme:\/\/host\[:port\] with http or https/],
    ['https://', /is not an origin/],
    ['https://arena.example.org:99999', /is not an origin/],
    ['null', /"null" is not an origin/],
    ['https://good.example, bad', /"bad" is not an origin/],
  ];
  for (const [value, message] of bad) {
    assert.throws(
      () => readConfig({ CONNECTOR_PROXY_CORS_ORIGINS: value }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.startsWith('CONNECTOR_PROXY_CORS_ORIGINS') &&
        !error.message.includes('\n') &&
        message.test(error.message),
      value,
    );
  }
});

test('CORS "*" is allowed alone and only with an API key', () => {
  assert.deepEqual(readConfig({ CONNECTOR_PROXY_CORS_ORIGINS: '*', CONNECTOR_PROXY_API_KEY: 'k' }).corsOrigins, ['*']);
  assert.throws(
    () => readConfig({ CONNECTOR_PROXY_CORS_ORIGINS: '*' }),
    /^ConfigError: CONNECTOR_PROXY_CORS_ORIGINS="\*" needs CONNECTOR_PROXY_API_KEY/,
  );
  assert.throws(
    () => readConfig({ CONNECTOR_PROXY_CORS_ORIGINS: '*, https://a.example', CONNECTOR_PROXY_API_KEY: 'k' }),
    /CONNECTOR_PROXY_CORS_ORIGINS: "\*" allows every origin, so it must be alone/,
  );
});

test('slow clients are bounded from the command deadline: headers in 10 s, the whole request in the deadline plus 5 s', () => {
  const defaults = readConfig({});
  assert.equal(defaults.headersTimeoutMs, 10_000);
  assert.equal(defaults.requestTimeoutMs, defaults.commandTimeoutMs + 5_000);
  assert.ok(defaults.requestTimeoutMs <= 45_000, 'a request that arrives later than the backend waits is refused');
  assert.equal(defaults.keepAliveTimeoutMs, 65_000);
  const long = readConfig({ CONNECTOR_PROXY_COMMAND_TIMEOUT_MS: '120000' });
  assert.equal(long.requestTimeoutMs, 125_000);
  const short = readConfig({ CONNECTOR_PROXY_COMMAND_TIMEOUT_MS: '1000' });
  assert.equal(short.requestTimeoutMs, 6_000);
  assert.equal(short.headersTimeoutMs, 6_000, 'never above the request timeout, which Node refuses');
});
