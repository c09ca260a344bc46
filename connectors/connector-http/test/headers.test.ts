import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallAbort, WATCH_AFTER_MS } from '../src/abort.js';
import { AnswerHeaders, setHeader, toHeaderValue, toSortedHeaders } from '../src/headers.js';

// The web Headers these replace is the reference: the same answers for the same input.
test('answer headers read as Headers reads them: any case, trimmed, repeats joined', () => {
  const raw = [
    'Content-Type',
    ' application/json \t',
    'X-Dup',
    '1',
    'x-dup',
    '2',
    'Set-Cookie',
    'a=1',
    'set-cookie',
    'b=2',
  ];
  const reference = new Headers();
  for (let index = 0; index < raw.length; index += 2) reference.append(raw[index] ?? '', raw[index + 1] ?? '');
  const headers = new AnswerHeaders(raw);
  for (const name of ['content-type', 'x-dup', 'set-cookie', 'location']) {
    assert.equal(headers.get(name), reference.get(name), name);
  }
  const record: Record<string, string> = {};
  reference.forEach((value, name) => {
    record[name] = name === 'set-cookie' ? reference.getSetCookie().join(', ') : value;
  });
  assert.deepEqual(Object.entries(headers.toRecord()), Object.entries(record));
});

test('request headers go out in name order, values trimmed, as Headers iterated them', () => {
  const headers: Record<string, string> = {};
  for (const [name, value] of [
    ['zed', 'z'],
    ['__proto__', 'p'],
    ['accept', ' */* '],
  ] as const) {
    setHeader(headers, name, toHeaderValue(value));
  }
  const reference = new Headers(Object.entries(headers));
  assert.deepEqual(Object.entries(toSortedHeaders(headers)), [...reference]);
  assert.equal(toHeaderValue(' \t '), '');
});

test('a call listens to the signal only once it has lasted a while, and at once after a read', async () => {
  const controller = new AbortController();
  let reads = 0;
  const source = {
    get signal() {
      reads += 1;
      return controller.signal;
    },
    deadline: Date.now() + 60_000,
  };
  const abort = new CallAbort(source);
  const quick = abort.watch(() => assert.fail('a stopped watch never fires'));
  quick();
  await new Promise((resolve) => setTimeout(resolve, WATCH_AFTER_MS + 20));
  assert.equal(reads, 0);
  const reasons: string[] = [];
  abort.watch((reason) => reasons.push(String(reason)));
  await new Promise((resolve) => setTimeout(resolve, WATCH_AFTER_MS + 20));
  controller.abort('stop');
  assert.deepEqual(reasons, ['stop']);
  // Read (and aborted): the next watch fires at once.
  abort.watch((reason) => reasons.push(String(reason)));
  assert.deepEqual(reasons, ['stop', 'stop']);
});
