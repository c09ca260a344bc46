import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeProblems } from '@connector-proxy/core';
import type { Attachment } from '../src/attachments.js';
import { attachments } from '../src/params.js';

const declaration = attachments('Files');

/** Reads attachments as core checks the parameter; throws its problems as core words them. */
function readAttachments(value: unknown, id: string): Attachment[] {
  if (value === undefined || value === null) return declaration.defaultValue as Attachment[];
  const checked = declaration.check(value);
  if (checked.ok) return checked.value;
  throw new Error(describeProblems(id, checked.problems ?? [{ path: [], message: checked.problem }]).join('; '));
}

const invalid = (pattern: RegExp) => (error: unknown) => error instanceof Error && pattern.test(error.message);
const bytes = Buffer.from([0, 1, 2, 250, 251, 255]);

test('an object with base64 content keeps its filename and content type', () => {
  assert.deepEqual(
    readAttachments(
      [{ filename: 'a.bin', content: bytes.toString('base64'), content_type: 'application/x-test' }],
      'files',
    ),
    [{ filename: 'a.bin', content: bytes, contentType: 'application/x-test' }],
  );
});

test("a data URL from a SpiffArena file field gives the file's name and media type", () => {
  const url = `data:image/png;name=Screen%20shot%20(1).png;base64,${bytes.toString('base64')}`;
  assert.deepEqual(readAttachments([url], 'files'), [
    { filename: 'Screen shot (1).png', content: bytes, contentType: 'image/png' },
  ]);
});

test('the object wins over its data URL, and a nameless item gets a numbered name', () => {
  const url = `data:text/plain;name=inner.txt;base64,${Buffer.from('hi').toString('base64')}`;
  const [named, nameless] = readAttachments(
    [{ filename: 'outer.txt', content: url, content_type: 'text/markdown' }, `data:,hello%20there`],
    'files',
  );
  assert.deepEqual(named, { filename: 'outer.txt', content: Buffer.from('hi'), contentType: 'text/markdown' });
  assert.deepEqual(nameless, { filename: 'attachment-2', content: Buffer.from('hello there'), contentType: undefined });
});

test('a single attachment may be given without a list; nothing gives no attachments', () => {
  assert.equal(readAttachments({ filename: 'x', content: 'aGk=' }, 'files').length, 1);
  assert.deepEqual(readAttachments(undefined, 'files'), []);
  assert.deepEqual(readAttachments(null, 'files'), []);
});

test('base64 may be unpadded or wrapped over lines', () => {
  const [unpadded] = readAttachments([{ filename: 'x', content: 'aGk' }], 'files');
  assert.deepEqual(unpadded?.content, Buffer.from('hi'));
  const [wrapped] = readAttachments([{ filename: 'x', content: 'aGVs\r\nbG8=' }], 'files');
  assert.deepEqual(wrapped?.content, Buffer.from('hello'));
});

test('content that is neither base64 nor a data URL is refused instead of silently mangled', () => {
  assert.throws(
    () => readAttachments([{ filename: 'x', content: 'hello world!' }], 'files'),
    invalid(/files\[0\]\.content is neither base64/),
  );
  assert.throws(() => readAttachments([{ filename: 'x', content: 'abcde' }], 'files'), invalid(/neither base64/));
  assert.throws(() => readAttachments([{ filename: 'x', content: 'ab=c' }], 'files'), invalid(/neither base64/));
  assert.throws(() => readAttachments(['data:text/plain;base64,***'], 'files'), invalid(/files\[0\] is neither/));
  assert.throws(() => readAttachments(['data:,%E0%A4%A'], 'files'), invalid(/malformed %-escape/));
});

test('items of the wrong shape are refused, naming the item and the field', () => {
  assert.throws(() => readAttachments([42], 'files'), invalid(/files\[0\] must be a data URL or an object/));
  assert.throws(() => readAttachments([{ filename: 'x' }], 'files'), invalid(/files\[0\]\.content must be base64/));
  assert.throws(
    () => readAttachments([{ filename: 7, content: 'aGk=' }], 'files'),
    invalid(/files\[0\]\.filename must be a text/),
  );
  assert.throws(
    () => readAttachments([{ filename: 'x', content: 'aGk=', content_type: ['text/plain'] }], 'files'),
    invalid(/files\[0\]\.content_type must be a text/),
  );
});

test('every malformed item is reported at once', () => {
  assert.throws(
    () => readAttachments([42, { filename: 7, content: 'aGk=' }, 'data:,%E0%A4%A'], 'files'),
    invalid(
      /^files\[0\] must be a data URL .*; files\[1\]\.filename must be a text, got a number; files\[2\] has a malformed %-escape$/,
    ),
  );
});
