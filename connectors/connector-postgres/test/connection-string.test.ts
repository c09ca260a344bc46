import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readConnectionString, readKeywords } from '../src/connection-string.js';

test("the Python README's keyword form is read as libpq reads it", () => {
  const { config, password, server, ignored } = readConnectionString(
    'dbname=dev user=dev password=dev host=postgres-db port=5432',
  );
  assert.deepEqual(config, { host: 'postgres-db', port: 5432, database: 'dev', user: 'dev', password: 'dev' });
  assert.equal(password, 'dev');
  assert.deepEqual(server, { host: 'postgres-db', port: 5432, database: 'dev', user: 'dev' });
  assert.deepEqual(ignored, []);
});

test('keyword values may be quoted, with backslash escapes, and spaces around "=" are allowed', () => {
  assert.deepEqual(
    Object.fromEntries(readKeywords(`host = db  password='a b\\'c\\\\d' user=x\\ y application_name=''`)),
    { host: 'db', password: "a b'c\\d", user: 'x y' },
  );
});

test('URLs are read by pg-connection-string, with percent-encoding and query keywords', () => {
  const { config, password, server } = readConnectionString(
    'postgresql://bob:p%40ss%20word@db.example:6543/sales?application_name=flows&connect_timeout=5',
  );
  assert.equal(password, 'p@ss word');
  assert.deepEqual(server, { host: 'db.example', port: 6543, database: 'sales', user: 'bob' });
  assert.equal(config.application_name, 'flows');
  assert.equal(config.connectionTimeoutMillis, 5000);
  assert.equal(readConnectionString('postgres:///x?host=/var/run/postgresql').server.host, '/var/run/postgresql');
});

test('libpq options are mapped to node-postgres settings, and the unusable ones are named', () => {
  const { config, ignored } = readConnectionString(
    "host=db connect_timeout=1 keepalives_idle=30 options='-c search_path=app' sslmode=disable target_session_attrs=any passfile=/x",
  );
  assert.equal(config.connectionTimeoutMillis, 2000, 'libpq counts anything below 2 seconds as 2');
  assert.equal(config.keepAlive, true);
  assert.equal(config.keepAliveInitialDelayMillis, 30_000);
  assert.equal(config.options, '-c search_path=app');
  assert.equal(config.ssl, false);
  assert.deepEqual(ignored, ['target_session_attrs', 'passfile']);
  assert.deepEqual({ ...(readConnectionString('host=db sslmode=verify-full').config.ssl as object) }, {});
});

test('a malformed connection string is ProgrammingError "invalid dsn", as psycopg2 reports it', () => {
  const cases: [string, string, string][] = [
    ['dbname', 'ProgrammingError', 'invalid dsn: missing "=" after "dbname" in connection info string\n'],
    ['mydb', 'ProgrammingError', 'invalid dsn: missing "=" after "mydb" in connection info string\n'],
    ["password='open", 'ProgrammingError', 'invalid dsn: unterminated quoted string in connection info string\n'],
    ['hots=db', 'ProgrammingError', 'invalid dsn: invalid connection option "hots"\n'],
    ['port=54x', 'ProgrammingError', 'invalid dsn: invalid integer value "54x" for connection option "port"\n'],
    ['host=a,b', 'NotSupportedError', 'several hosts are not supported\n'],
    [
      'host=db sslrootcert=/nonexistent/ca.pem sslmode=verify-ca',
      'OperationalError',
      'could not read certificate file "/nonexistent/ca.pem": ENOENT\n',
    ],
  ];
  for (const [text, code, message] of cases) {
    assert.throws(
      () => readConnectionString(text),
      { code, message: `Error executing sql statement: ${message}` },
      text,
    );
  }
  assert.throws(
    () => readConnectionString('postgresql://u:secret@[bad'),
    (error: Error) => {
      assert.equal(error.message, 'Error executing sql statement: invalid dsn: invalid connection URI\n');
      assert.ok(!error.message.includes('secret'));
      return true;
    },
  );
});
