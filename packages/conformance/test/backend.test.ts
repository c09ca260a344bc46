import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type BackendView, describeView, readAnswer } from '../src/backend.js';
import { readCallback } from '../src/callback-read.js';
import type { Reply } from '../src/http.js';
import { loadsLikePython } from '../src/python-json.js';

function answer(status: number, text: string): Reply {
  return { ok: true, status, contentType: 'application/json', text, redirects: [], ms: 1 };
}

function read(status: number, value: unknown): BackendView {
  return readAnswer(answer(status, typeof value === 'string' ? value : JSON.stringify(value)), 'demo/Echo');
}

const v2 = (extra: Record<string, unknown> = {}, error: unknown = null) => ({
  command_response: { body: { a: 1 }, mimetype: 'application/json', ...extra },
  error,
  command_response_version: 2,
  spiff__logs: ['one'],
});

test('a version-2 success stores command_response plus operator_identifier, and its logs are read', () => {
  const view = read(200, v2({ http_status: 200 }));
  assert.equal(view.kind, 'result');
  assert.deepEqual(view.kind === 'result' && view.stored, {
    body: { a: 1 },
    mimetype: 'application/json',
    http_status: 200,
    operator_identifier: 'demo/Echo',
  });
  assert.deepEqual(view.logs, ['one']);
  assert.equal(view.version2, true);
});

test('a body that is not JSON is ServiceTaskOperatorReturnedInvalidJsonError with the outer status', () => {
  const view = read(500, '<html>Internal Server Error</html>');
  assert.equal(view.kind, 'error');
  assert.ok(view.kind === 'error');
  assert.equal(view.errorCode, 'ServiceTaskOperatorReturnedInvalidJsonError');
  assert.equal(view.source, 'invalid_json');
  assert.equal(view.status, 500);
  assert.equal(view.transient, true, 'a 5xx is retried when the task has retries');
  const badRequest = read(400, 'Bad Request');
  assert.equal(badRequest.kind === 'error' && badRequest.transient, false);
});

test('a structured error wins over http_status, which wins over the outer status; the upstream status is kept', () => {
  const both = read(200, v2({ http_status: 503 }, { error_code: 'HttpError503', message: 'down' }));
  assert.ok(both.kind === 'error');
  assert.equal(both.errorCode, 'HttpError503');
  assert.equal(both.status, 503);
  assert.equal(both.transient, true);

  const upstream = read(200, v2({ http_status: 404 }));
  assert.ok(upstream.kind === 'error');
  assert.equal(upstream.errorCode, 'ServiceTaskHttpError404');
  assert.equal(upstream.source, 'http_status');

  const outer = read(502, { oops: true });
  assert.ok(outer.kind === 'error');
  assert.equal(outer.errorCode, 'ServiceTaskOperatorReturnedBadStatusError');
  assert.match(
    outer.message,
    /\{"oops":true\} A critical component \(The connector proxy\) is not responding correctly\.$/,
  );

  const unauthorized = read(401, { error: 'Unauthorized' });
  assert.ok(unauthorized.kind === 'error');
  assert.equal(unauthorized.errorCode, 'ServiceTaskOperatorReturnedBadStatusError');
  assert.match(unauthorized.message, /^Unauthorized A critical/);
});

test('a 202 waits only when the envelope has no error and no http_status >= 300', () => {
  assert.equal(read(202, v2({ body: { job: 1 } })).kind, 'waiting');
  assert.equal(read(202, '').kind, 'waiting', 'an empty body reads as {}');
  assert.equal(read(202, {}).kind, 'waiting');
  const rejected = read(202, v2({}, { error_code: 'Busy', message: 'no' }));
  assert.ok(rejected.kind === 'error');
  assert.equal(rejected.errorCode, 'Busy');
  const upstream = read(202, v2({ http_status: 500 }));
  assert.ok(upstream.kind === 'error');
  assert.equal(upstream.errorCode, 'ServiceTaskHttpError500');
  const notJson = read(202, 'accepted!');
  assert.ok(notJson.kind === 'error');
  assert.equal(notJson.errorCode, 'ServiceTaskOperatorReturnedInvalidJsonError');
  assert.equal(read(200, v2({ http_status: 202 })).kind, 'result', 'an inner 202 in a 200 does not wait');
});

test("the backend's own reading code fails on answers it cannot index, and that is a crash", () => {
  const noMessage = read(200, v2({}, { error_code: 'Oops' }));
  assert.ok(noMessage.kind === 'crash');
  assert.equal(noMessage.exception, 'KeyError');
  const nullLogs = read(200, { ...v2(), spiff__logs: null });
  assert.ok(nullLogs.kind === 'crash');
  assert.equal(nullLogs.exception, 'TypeError');
  const noResponse = read(200, { command_response_version: 2, error: null, spiff__logs: [] });
  assert.ok(noResponse.kind === 'crash');
  assert.equal(noResponse.exception, 'KeyError');
  const listResponse = read(200, { ...v2(), command_response: [] });
  assert.ok(listResponse.kind === 'crash');
  const textVersion = read(200, { ...v2(), command_response_version: '2' });
  assert.ok(textVersion.kind === 'crash');
  assert.match(textVersion.message, /'>' not supported between instances of 'str' and 'int'/);
  assert.equal(read(200, 'null').kind, 'crash', "`'x' in None` raises");
  assert.equal(read(200, '"an error happened"').kind, 'crash', 'a string holding "error" is indexed by a str');
  assert.equal(read(200, '"fine"').kind, 'result');
  const list = read(200, [1, 2]);
  assert.deepEqual(list.kind === 'result' && list.stored, [1, 2]);
});

test('legacy answers, api_response and refreshed_token_set are read as the backend reads them', () => {
  const legacy = read(200, { rows: 3 });
  assert.ok(legacy.kind === 'result');
  assert.equal(legacy.version2, false);
  assert.deepEqual(legacy.stored, { rows: 3 });
  const api = read(200, { spiff__logs: [], api_response: { x: 1 } });
  assert.deepEqual(api.kind === 'result' && api.stored, { x: 1 });
  const refreshed = read(200, { refreshed_token_set: { t: 1 }, auth: 'my_oauth', api_response: { y: 2 } });
  assert.deepEqual(refreshed.kind === 'result' && refreshed.stored, { y: 2 });
  assert.equal(read(200, { refreshed_token_set: {} }).kind, 'crash', 'it needs auth and api_response');
});

test('no answer is an error named after the exception requests raises, retried as transient', () => {
  const view = readAnswer(
    { ok: false, error: 'ReadTimeout', message: 'no answer within the timeout', ms: 45_000 },
    'x/Y',
  );
  assert.ok(view.kind === 'error');
  assert.equal(view.errorCode, 'ReadTimeout');
  assert.equal(view.transient, true);
  assert.match(describeView(view), /^raises BPMN error ReadTimeout \(status 500, retried if the task has retries\)$/);
});

test("JSON is read as Python's json.loads reads it: NaN and Infinity pass, a byte-order mark does not", () => {
  assert.deepEqual(loadsLikePython('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN"}'), {
    ok: true,
    value: { a: null, b: [null, null], c: 'NaN' },
    nonFinite: true,
  });
  assert.equal(loadsLikePython('\ufeff{}').ok, false);
  assert.equal(loadsLikePython('[-NaN]').ok, false);
  assert.equal(loadsLikePython('{"a": 1} x').ok, false);
  assert.equal(
    read(
      200,
      '{"command_response": {"body": NaN, "mimetype": "x"}, "error": null, "command_response_version": 2, "spiff__logs": []}',
    ).kind,
    'result',
  );
});

test('a callback body is read as Arena reads it: body required also on failure, JSON text decoded', () => {
  const ok = readCallback(JSON.stringify({ ...v2({ body: '{"n": 1}' }) }));
  assert.ok(ok.kind === 'completed');
  assert.deepEqual(ok.stored, { n: 1 });
  assert.equal(ok.error, undefined);
  const failed = readCallback(JSON.stringify(v2({ body: null }, { error_code: 'Boom', message: 'no' })));
  assert.ok(failed.kind === 'completed');
  assert.equal(failed.error?.errorCode, 'Boom');
  const noBody = readCallback(JSON.stringify({ error: { error_code: 'Boom', message: 'no' }, command_response: {} }));
  assert.deepEqual(noBody, {
    kind: 'invalid',
    code: 'invalid_callback_body',
    message: 'Service task callbacks must provide a command_response.body value.',
  });
  assert.equal(readCallback('not json').kind, 'invalid');
  assert.equal(readCallback('[1]').kind, 'invalid');
});
