import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { isPlainObject } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import { type ParsedMail, simpleParser } from 'mailparser';
import { PASSWORD, SendEmail, startSmtpServer, type TestSmtpServer, tutorialParams, USER } from './support.js';

let server: TestSmtpServer;
before(async () => {
  server = await startSmtpServer();
});
after(() => server.close());

function toAddresses(mail: ParsedMail) {
  return [mail.to].flat().flatMap((to) => to?.value.map(({ name, address }) => ({ name, address })) ?? []);
}

/** Sends through the shared server and returns the run plus the message that arrived. */
async function send(extra: Record<string, unknown> = {}) {
  const before = server.received.length;
  const run = await runCommand(SendEmail, { ...tutorialParams(server.port), ...extra });
  assert.equal(run.error, null, JSON.stringify(run.error));
  const received = server.received[before];
  assert.ok(received, 'the server received no message');
  return { run, received };
}

test('the tutorial email arrives with its From, To, Subject and text body', async () => {
  const { run, received } = await send();
  const { mail } = received;
  assert.equal(mail.subject, 'Just testing');
  assert.equal(mail.from?.text, 'testing@spiff.local');
  assert.deepEqual(
    [mail.to].flat().map((to) => to?.text),
    ['jon@example.com'],
  );
  assert.equal(mail.text, 'Just testing the new smtp connector\n');
  assert.equal(mail.html, false);
  assert.equal(received.mailFrom, 'testing@spiff.local');
  assert.deepEqual(received.rcptTo, ['jon@example.com']);
  assert.equal(received.user, undefined, 'no login without credentials');
  assert.equal(received.secure, false);
  assert.equal(run.envelope.command_response_version, 2);
  assert.equal(run.envelope.command_response.mimetype, 'application/json');
});

test('the answer says what the server accepted: message id, recipients and its reply', async () => {
  const { run, received } = await send();
  assert.deepEqual(run.body, {
    message_id: received.mail.messageId,
    accepted: ['jon@example.com'],
    rejected: [],
    response: '250 OK: message queued',
  });
  assert.deepEqual(run.logs, [
    `will send to 1 recipient through 127.0.0.1:${server.port} (no TLS)`,
    'connected',
    `did send ${received.mail.messageId}: accepted 1, rejected 0`,
  ]);
});

const python = JSON.parse(readFileSync(new URL('./fixtures/python-messages.json', import.meta.url), 'utf8')) as {
  cases: { params: Record<string, unknown>; raw: string }[];
};

for (const [index, { params, raw }] of python.cases.entries()) {
  test(`the message matches what the Python connector sends for the same parameters (case ${index + 1})`, async () => {
    const { received } = await send({ ...params, smtp_port: server.port });
    const ours = received.mail;
    const theirs = await simpleParser(Buffer.from(raw, 'utf8'));
    assert.equal(ours.subject, theirs.subject);
    assert.equal(ours.from?.text, theirs.from?.text);
    assert.deepEqual(ours.to, theirs.to);
    assert.equal(ours.text, theirs.text);
    assert.equal(ours.html, theirs.html);
    assert.deepEqual(ours.attachments, theirs.attachments);
    assert.deepEqual(ours.headers.get('content-type'), theirs.headers.get('content-type'));
    assert.equal(ours.headers.get('mime-version'), theirs.headers.get('mime-version'));
    const addresses = [theirs.to].flat().flatMap((to) => to?.value.map((a) => a.address) ?? []);
    assert.deepEqual(received.rcptTo, addresses);
  });
}

test('several recipients may be given comma-separated or as a list, and all receive the message', async () => {
  const commaSeparated = await send({ email_to: 'a@example.com, "Doe, Jane" <jane@example.com>' });
  assert.deepEqual(commaSeparated.received.rcptTo, ['a@example.com', 'jane@example.com']);
  assert.deepEqual(toAddresses(commaSeparated.received.mail), [
    { name: '', address: 'a@example.com' },
    { name: 'Doe, Jane', address: 'jane@example.com' },
  ]);

  const list = await send({ email_to: ['a@example.com', 'b@example.com, c@example.com'] });
  const all = ['a@example.com', 'b@example.com', 'c@example.com'];
  assert.deepEqual(list.received.rcptTo, all);
  assert.deepEqual(
    toAddresses(list.received.mail).map((a) => a.address),
    all,
  );
  const body = list.run.body;
  assert.ok(isPlainObject(body));
  assert.deepEqual([body.accepted, body.rejected], [all, []]);
});

test('cc recipients are in a Cc header, bcc recipients get the message but appear in no header', async () => {
  const { received } = await send({
    email_cc: 'carol@example.com',
    email_bcc: ['secret-1@example.com', 'secret-2@example.com'],
    email_reply_to: 'Help Desk <help@example.com>',
  });
  assert.deepEqual(received.rcptTo, [
    'jon@example.com',
    'carol@example.com',
    'secret-1@example.com',
    'secret-2@example.com',
  ]);
  assert.equal([received.mail.cc].flat()[0]?.text, 'carol@example.com');
  assert.equal(received.mail.bcc, undefined);
  assert.doesNotMatch(received.raw.toString('latin1'), /secret-\d@example\.com|^bcc:/im);
  assert.deepEqual(received.mail.replyTo?.value, [{ name: 'Help Desk', address: 'help@example.com' }]);
});

test('an HTML body is sent as an alternative to the text body', async () => {
  const html = '<p>Just testing the <b>new</b> smtp connector</p>';
  const { received } = await send({ email_body_html: html });
  const contentType = received.mail.headers.get('content-type');
  assert.ok(typeof contentType === 'object' && 'value' in contentType);
  assert.equal(contentType.value, 'multipart/alternative');
  assert.equal(received.mail.text, 'Just testing the new smtp connector\n');
  assert.equal(received.mail.html, html);
});

test('attachments arrive byte for byte, from base64 objects and from data URLs', async () => {
  const binary = randomBytes(64 * 1024);
  const text = 'Grüße, a plain text file\n';
  const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n', 'latin1');
  const { received } = await send({
    email_body_html: '<p>see attached</p>',
    email_attachments: [
      { filename: 'random.bin', content: binary.toString('base64'), content_type: 'application/octet-stream' },
      { filename: 'notes.txt', content: `data:text/plain;base64,${Buffer.from(text).toString('base64')}` },
      `data:application/pdf;name=Quarterly%20report.pdf;base64,${pdf.toString('base64')}`,
    ],
  });
  const files = received.mail.attachments.map((a) => [a.filename, a.contentType, a.content]);
  assert.deepEqual(files, [
    ['random.bin', 'application/octet-stream', binary],
    ['notes.txt', 'text/plain', Buffer.from(text)],
    ['Quarterly report.pdf', 'application/pdf', pdf],
  ]);
  assert.equal(received.mail.html, '<p>see attached</p>');
  assert.equal(received.mail.text, 'Just testing the new smtp connector\n');
});

for (const method of ['PLAIN', 'LOGIN']) {
  test(`with a user and a password it logs in (AUTH ${method}) and never reveals the password`, async () => {
    const auth = await startSmtpServer({ authMethods: [method], authOptional: false });
    try {
      const run = await runCommand(SendEmail, {
        ...tutorialParams(auth.port),
        smtp_user: USER,
        smtp_password: PASSWORD,
      });
      assert.equal(run.error, null, JSON.stringify(run.error));
      assert.equal(auth.received[0]?.user, USER);
      assert.equal(auth.received[0]?.authMethod, method);
      assert.match(run.logs.join('\n'), new RegExp(`will log in as ${USER}`));
      assert.match(run.logs.join('\n'), /warning: logging in without TLS/);
      assert.doesNotMatch(JSON.stringify(run.envelope), /correct horse/);
    } finally {
      await auth.close();
    }
  });
}

test('a user without a password (or the reverse) does not log in, as in the Python connector', async () => {
  for (const credentials of [
    { smtp_user: USER },
    { smtp_password: PASSWORD },
    { smtp_user: '', smtp_password: PASSWORD },
  ]) {
    const { run, received } = await send(credentials);
    assert.equal(received.user, undefined);
    assert.doesNotMatch(run.logs.join('\n'), /will log in/);
  }
});
