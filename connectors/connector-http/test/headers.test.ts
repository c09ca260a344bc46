import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CallAbort } from '../src/abort.js';
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

test("a call learns of its command's abort through onAbort, without building the signal", async () => {
  const listeners = new Set<(reason: unknown) => void>();
  let reads = 0;
  const source = {
    get signal(): AbortSignal {
      reads += 1;
      return new AbortController().signal;
    },
    onAbort(listener: (reason: unknown) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const abort = new CallAbort(source);
  const quick = abort.watch(() => assert.fail('a stopped watch never fires'));
  quick();
  const reasons: string[] = [];
  abort.watch((reason) => reasons.push(String(reason)));
  assert.equal(abort.aborted, false);
  for (const listener of [...listeners]) listener('stop');
  assert.deepEqual(reasons, ['stop']);
  assert.equal(abort.aborted, true);
  assert.equal(reads, 0, 'the signal is never built');
  abort.dispose();
});
