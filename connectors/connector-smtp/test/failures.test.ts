import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCommand } from '@connector-proxy/core/testing';
import {
  closedPort,
  PASSWORD,
  SendEmail,
  startSilentServer,
  startSmtpServer,
  type TestSmtpServer,
  tutorialParams,
  USER,
} from './support.js';

/** Runs SendEmail against a fresh server made with `options`, then closes it. */
async function against(options: Parameters<typeof startSmtpServer>[0], params: Record<string, unknown> = {}) {
  const server: TestSmtpServer = await startSmtpServer(options);
  try {
    const run = await runCommand(SendEmail, { ...tutorialParams(server.port), ...params });
    return { run, server };
  } finally {
    await server.close();
  }
}

/** Waits for `promise`, failing the test if it takes longer than `ms`. */
async function within(ms: number, promise: Promise<unknown>, message: string) {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

const refuse = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

test('a wrong password is SMTPAuthenticationError with status 401, and the password appears nowhere', async () => {
  const password = 'wrong-but-secret';
  const { run, server } = await against({ authOptional: false }, { smtp_user: USER, smtp_password: password });
  assert.equal(run.error?.error_code, 'SMTPAuthenticationError');
  assert.match(run.error?.message ?? '', /535/);
  assert.equal(run.envelope.command_response.http_status, 401);
  assert.equal(server.received.length, 0);
  const everything = JSON.stringify(run.envelope);
  assert.equal(everything.includes(password), false);
  assert.equal(everything.includes(Buffer.from(`\0${USER}\0${password}`).toString('base64')), false);
  assert.match(run.logs.join('\n'), /did error: SMTPAuthenticationError/);
});

test('a temporary authentication failure (454) gets status 503 so that SpiffArena may retry', async () => {
  const { run } = await against(
    { onAuth: (_auth, _session, callback) => callback(refuse('Temporary authentication failure', 454)) },
    { smtp_user: USER, smtp_password: PASSWORD },
  );
  assert.equal(run.error?.error_code, 'SMTPAuthenticationError');
  assert.equal(run.envelope.command_response.http_status, 503);
});

test('credentials for a server that offers no AUTH are SMTPNotSupportedError, as in Python', async () => {
  const { run, server } = await against({ disabledCommands: ['AUTH'] }, { smtp_user: USER, smtp_password: PASSWORD });
  assert.equal(run.error?.error_code, 'SMTPNotSupportedError');
  assert.equal(server.received.length, 0);
});

test('when every recipient is refused the error is SMTPRecipientsRefused with a 4xx status', async () => {
  const { run, server } = await against({
    onRcptTo: (_address, _session, callback) => callback(refuse('No such user here', 550)),
  });
  assert.equal(run.error?.error_code, 'SMTPRecipientsRefused');
  assert.match(run.error?.message ?? '', /550 No such user here/);
  assert.equal(run.envelope.command_response.http_status, 422);
  assert.equal(server.received.length, 0);
});

test('when only some recipients are refused the message is sent and the answer lists the refused ones', async () => {
  const { run, server } = await against(
    {
      onRcptTo: (address, _session, callback) =>
        address.address.startsWith('ghost') ? callback(refuse('No such user here', 550)) : callback(),
    },
    { email_to: 'jon@example.com, ghost@example.com' },
  );
  assert.equal(run.error, null);
  assert.deepEqual(server.received[0]?.rcptTo, ['jon@example.com']);
  assert.deepEqual(run.body, {
    message_id: server.received[0]?.mail.messageId,
    accepted: ['jon@example.com'],
    rejected: ['ghost@example.com'],
    response: '250 OK: message queued',
  });
  assert.match(run.logs.join('\n'), /accepted 1, rejected 1/);
});

test('a refused sender is SMTPSenderRefused', async () => {
  const { run } = await against({
    onMailFrom: (_address, _session, callback) => callback(refuse('Sender address rejected', 553)),
  });
  assert.equal(run.error?.error_code, 'SMTPSenderRefused');
  assert.equal(run.envelope.command_response.http_status, 403);
});

test('a message refused after DATA is SMTPDataError; a greylisting 451 gets 503', async () => {
  const reject = (code: number) => ({
    onData: (stream: NodeJS.ReadableStream, _session: unknown, callback: (error?: Error) => void) => {
      stream.resume();
      stream.on('end', () => callback(refuse('Message rejected as spam', code)));
    },
  });
  const permanent = await against(reject(554));
  assert.equal(permanent.run.error?.error_code, 'SMTPDataError');
  assert.equal(permanent.run.envelope.command_response.http_status, 422);
  const transient = await against(reject(451));
  assert.equal(transient.run.error?.error_code, 'SMTPDataError');
  assert.equal(transient.run.envelope.command_response.http_status, 503);
});

test('a message larger than the size the server announces is refused as SMTPSenderRefused before it is sent', async () => {
  const { run, server } = await against({ size: 1024 }, { email_body: 'x'.repeat(4096) });
  assert.equal(run.error?.error_code, 'SMTPSenderRefused');
  assert.equal(server.received.length, 0);
});

test('a server that refuses service in its greeting is SMTPConnectError with status 503', async () => {
  const { run } = await against({
    onConnect: (_session, callback) => callback(refuse('Too many connections, try later', 421)),
  });
  assert.equal(run.error?.error_code, 'SMTPConnectError');
  assert.equal(run.envelope.command_response.http_status, 503);
});

test('a closed port is ConnectionRefusedError with status 503', async () => {
  const run = await runCommand(SendEmail, tutorialParams(await closedPort()));
  assert.equal(run.error?.error_code, 'ConnectionRefusedError');
  assert.equal(run.envelope.command_response.http_status, 503);
  assert.match(run.logs.join('\n'), /did error: ConnectionRefusedError/);
});

test('a server that never answers is dropped at the deadline, and the connection is closed', async () => {
  const silent = await startSilentServer();
  try {
    const started = Date.now();
    const run = await runCommand(SendEmail, tutorialParams(silent.port), { timeoutMs: 300 });
    assert.equal(run.error?.error_code, 'CommandTimeout');
    assert.equal(run.envelope.command_response.http_status, 504);
    await within(1_000, silent.clientHungUp, 'the connection was not closed at the deadline');
    assert.ok(Date.now() - started < 2_000);
  } finally {
    await silent.close();
  }
});

test('a server that never greets fails as TimeoutError after smtp_timeout seconds', async () => {
  const silent = await startSilentServer();
  try {
    const run = await runCommand(SendEmail, { ...tutorialParams(silent.port), smtp_timeout: 1 });
    assert.equal(run.error?.error_code, 'TimeoutError');
    assert.equal(run.envelope.command_response.http_status, 504);
    await within(1_000, silent.clientHungUp, 'the connection was not closed after the timeout');
  } finally {
    await silent.close();
  }
});

test('invalid addresses are refused as InvalidParameters before connecting', async () => {
  const server = await startSmtpServer();
  try {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ email_to: 'Jane' }, /email_to: "Jane" is not an email address/],
      [{ email_to: 'jane@example.com, bob@' }, /email_to: "bob@" is not an email address/],
      [{ email_to: '' }, /email_to must hold at least one email address/],
      [{ email_to: ['a@example.com', 42] }, /email_to\[1\] must be a text/],
      [{ email_to: { address: 'a@example.com' } }, /email_to must be a text or a list of texts/],
      [{ email_from: 'a@example.com, b@example.com' }, /email_from must hold one email address/],
      [{ email_from: 'nobody' }, /email_from: "nobody" is not an email address/],
      [{ email_cc: 'carol' }, /email_cc: "carol" is not an email address/],
      [{ email_bcc: [{}] }, /email_bcc\[0\] must be a text/],
      [{ email_reply_to: 'help desk' }, /email_reply_to/],
      [{ email_attachments: [{ filename: 'a.txt', content: 'not base64!' }] }, /email_attachments\[0\]\.content/],
      [{ smtp_port: 70000 }, /smtp_port must be between 1 and 65535/],
      [{ smtp_timeout: 0 }, /smtp_timeout must be between 1 and 600/],
    ];
    for (const [params, message] of cases) {
      const run = await runCommand(SendEmail, { ...tutorialParams(server.port), ...params });
      assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(params));
      assert.match(run.error?.message ?? '', message);
      assert.equal(run.envelope.command_response.http_status, 400);
    }
    assert.equal(server.connections(), 0);
  } finally {
    await server.close();
  }
});

test('missing required parameters are named, as core reports them', async () => {
  const run = await runCommand(SendEmail, { smtp_host: '127.0.0.1' });
  assert.equal(run.error?.error_code, 'InvalidParameters');
  for (const id of ['smtp_port', 'email_subject', 'email_body', 'email_to', 'email_from']) {
    assert.match(run.error?.message ?? '', new RegExp(`${id} is required`));
  }
});
