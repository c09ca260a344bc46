import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { defineCommand, invoke, param } from '@connector-proxy/core';
import { createCommandAbort } from '../src/abort.js';

test('the signal is created on first read and aborts with the deadline reason', () => {
  const abort = createCommandAbort(undefined);
  abort.abort(new Error('deadline'));
  assert.equal(abort.signal.aborted, true, 'read after the deadline: already aborted');
  assert.equal((abort.signal.reason as Error).message, 'deadline');
});

test('an abort of the outer signal reaches a signal read before it', () => {
  const outer = new AbortController();
  const abort = createCommandAbort(outer.signal);
  const { signal } = abort;
  outer.abort(new Error('shutting down'));
  assert.equal(signal.aborted, true);
  assert.equal((signal.reason as Error).message, 'shutting down');
});

test('a signal read after the outer signal aborted is aborted', () => {
  const outer = new AbortController();
  outer.abort(new Error('already down'));
  assert.equal(createCommandAbort(outer.signal).signal.aborted, true);
});

test("invocations leave no listener on the proxy's long-lived shutdown signal", async () => {
  const shutdown = new AbortController();
  const reads = defineCommand({
    params: { n: param.int() },
    run: ({ n }, { signal }) => ({ body: n + Number(signal.aborted) }),
  });
  const ignores = defineCommand({ params: {}, run: () => ({ body: null }) });
  for (let i = 0; i < 50; i++) {
    await invoke(reads, { n: i }, { signal: shutdown.signal });
    await invoke(ignores, {}, { signal: shutdown.signal });
  }
  assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
});
