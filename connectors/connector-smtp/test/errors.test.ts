import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommandError } from '@connector-proxy/core';
import { SmtpErrorCode, toCommandError } from '../src/errors.js';

/** An error shaped as nodemailer reports it. */
const failure = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

test('nodemailer failures map to the exception names the Python connector reports', () => {
  const cases: [Error, string, number][] = [
    [
      failure('Invalid login: 535 no', { code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' }),
      'SMTPAuthenticationError',
      401,
    ],
    [
      failure('Mail command failed', { code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' }),
      'SMTPSenderRefused',
      403,
    ],
    [
      failure('all recipients were rejected', { code: 'EENVELOPE', responseCode: 550, command: 'RCPT TO' }),
      'SMTPRecipientsRefused',
      422,
    ],
    [failure('Data command failed', { code: 'EENVELOPE', responseCode: 554, command: 'DATA' }), 'SMTPDataError', 422],
    [failure('Message failed', { code: 'EMESSAGE', responseCode: 552, command: 'DATA' }), 'SMTPDataError', 422],
    [failure('Invalid sender', { code: 'EENVELOPE', command: 'API' }), 'InvalidParameters', 400],
    [failure('getaddrinfo ENOTFOUND nowhere.invalid', { code: 'EDNS', errno: -3008 }), 'gaierror', 502],
    [failure('Greeting never received', { code: 'ETIMEDOUT', command: 'CONN' }), 'TimeoutError', 504],
    [
      failure('connect ECONNREFUSED 127.0.0.1:1', { code: 'ESOCKET', errno: -111, syscall: 'connect' }),
      'ConnectionRefusedError',
      503,
    ],
    [failure('read ECONNRESET', { code: 'ESOCKET', errno: -104 }), 'ConnectionResetError', 502],
    [failure('connect EHOSTUNREACH 10.0.0.1:25', { code: 'ESOCKET', errno: -113 }), 'OSError', 502],
    [
      failure('Connection closed unexpectedly', { code: 'ECONNECTION', command: 'CONN' }),
      'SMTPServerDisconnected',
      502,
    ],
    [
      failure('Invalid greeting. response=554 go away', { code: 'EPROTOCOL', responseCode: 554, command: 'CONN' }),
      'SMTPConnectError',
      503,
    ],
    [failure('Invalid HELO', { code: 'EPROTOCOL', responseCode: 501, command: 'HELO' }), 'SMTPHeloError', 502],
    [
      failure('Could not reset', { code: 'EPROTOCOL', responseCode: 500, command: 'RSET' }),
      'SMTPResponseException',
      502,
    ],
    [
      failure('Error upgrading connection with STARTTLS', { code: 'ETLS', responseCode: 502, command: 'STARTTLS' }),
      'SMTPNotSupportedError',
      400,
    ],
    [failure('self-signed certificate', { code: 'ESOCKET', command: 'CONN' }), 'SSLCertVerificationError', 400],
    [failure('wrong version number', { code: 'ESOCKET', library: 'SSL routines' }), 'SSLError', 400],
    [failure('Connection closed unexpectedly', { code: 'ETLS', command: 'CONN' }), 'SSLError', 400],
    [failure('something new', { code: 'ESOMETHING' }), 'SMTPException', 502],
  ];
  for (const [error, code, status] of cases) {
    const mapped = toCommandError(error);
    assert.equal(mapped.code, code, error.message);
    assert.equal(mapped.httpStatus, status, error.message);
    assert.equal(mapped.cause, error);
  }
});

test('an SMTP reply 4yz means "try again later", so any code then gets status 503', () => {
  const greylisted = failure('Recipient command failed', { code: 'EENVELOPE', responseCode: 450, command: 'RCPT TO' });
  assert.equal(toCommandError(greylisted).httpStatus, 503);
  assert.equal(toCommandError(greylisted).code, 'SMTPRecipientsRefused');
});

test('secrets are scrubbed from messages, whatever the server echoed', () => {
  const echoed = failure('Invalid login: 535 bad token AGphbmUAaHVudGVyMg== for hunter2', {
    code: 'EAUTH',
    responseCode: 535,
  });
  const mapped = toCommandError(echoed, ['hunter2', 'AGphbmUAaHVudGVyMg==']);
  assert.equal(mapped.message, 'Invalid login: 535 bad token *** for ***');
});

test('a CommandError passes through unchanged, and non-errors still get a code', () => {
  const already = new CommandError('CommandTimeout', 'stopped', { httpStatus: 504 });
  assert.equal(toCommandError(already), already);
  assert.equal(toCommandError('boom').code, 'SMTPException');
});

test('every catalogued code has a 4xx or 5xx status and says when it happens', () => {
  for (const [code, { status, when }] of Object.entries(SmtpErrorCode)) {
    assert.ok(status >= 400 && status < 600, code);
    assert.ok(when.length > 10, code);
  }
});
