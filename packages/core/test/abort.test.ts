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

test('onAbort hears the deadline without the signal being built, and its stop unsubscribes', async () => {
  const heard: unknown[] = [];
  const command = defineCommand({
    params: {},
    timeoutMs: 20,
    run: (_, { onAbort }) => {
      const stop = onAbort(() => heard.push('stopped early'));
      stop();
      return new Promise((resolve) => onAbort((reason) => resolve({ body: String((reason as Error).name) })));
    },
  });
  const answer = await invoke(command, {});
  assert.equal(answer.kind === 'v2' && answer.envelope.error?.error_code, 'CommandTimeout');
  assert.deepEqual(heard, []);
});

test('onAbort is called at once when the command is already aborted', () => {
  const outer = new AbortController();
  const abort = createCommandAbort(outer.signal);
  abort.abort('deadline');
  const reasons: unknown[] = [];
  abort.onAbort((reason) => reasons.push(reason));
  assert.deepEqual(reasons, ['deadline']);
});

test('a shutdown stops every running invocation through one listener, removed when they end', async () => {
  const shutdown = new AbortController();
  const command = defineCommand({
    params: {},
    run: (_, { onAbort, signal }) =>
      new Promise((_, reject) => onAbort(() => reject(new Error(`stopped, signal aborted: ${signal.aborted}`)))),
  });
  const running = Array.from({ length: 32 }, () => invoke(command, {}, { signal: shutdown.signal }));
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(getEventListeners(shutdown.signal, 'abort').length <= 2);
  shutdown.abort(new Error('shutting down'));
  for (const answer of await Promise.all(running)) {
    assert.equal(answer.kind === 'v2' && answer.envelope.error?.error_code, 'ProxyShuttingDown');
  }
  assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
});

test('when some invocations end, the rest still hear a shutdown', async () => {
  const shutdown = new AbortController();
  let release: () => void = () => {};
  const quick = defineCommand({
    params: {},
    run: () => new Promise((resolve) => (release = () => resolve({ body: 'done' }))),
  });
  const slow = defineCommand({
    params: {},
    run: (_, { signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
  });
  const first = invoke(quick, {}, { signal: shutdown.signal });
  const second = invoke(slow, {}, { signal: shutdown.signal });
  await new Promise((resolve) => setImmediate(resolve));
  release();
  const done = await first;
  assert.equal(done.kind === 'v2' && done.envelope.error, null);
  shutdown.abort(new Error('shutting down'));
  const answer = await second;
  assert.equal(answer.kind === 'v2' && answer.envelope.error?.error_code, 'ProxyShuttingDown');
  assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
});

/** `count` invocations on one shutdown signal, each waiting until its release (in the order they started). */
async function startReleasable(count: number) {
  const shutdown = new AbortController();
  const releases: (() => void)[] = [];
  const command = defineCommand({
    params: {},
    run: (_, { onAbort }) =>
      new Promise((resolve, reject) => {
        releases.push(() => resolve({ body: 'done' }));
        onAbort((reason) => reject(reason));
      }),
  });
  const running = Array.from({ length: count }, () => invoke(command, {}, { signal: shutdown.signal }));
  await new Promise((resolve) => setImmediate(resolve));
  return { shutdown, releases, running };
}

test('invocations that end first, last or in between leave the others on the watch list', async () => {
  const { shutdown, releases, running } = await startReleasable(5);
  // The newest joined the list last, so this ends its head, then one in the middle, then its tail.
  for (const index of [4, 2, 0]) releases[index]?.();
  await new Promise((resolve) => setImmediate(resolve));
  shutdown.abort(new Error('shutting down'));
  const codes = (await Promise.all(running)).map((answer) =>
    answer.kind === 'v2' ? (answer.envelope.error?.error_code ?? 'done') : 'v1',
  );
  assert.deepEqual(codes, ['done', 'ProxyShuttingDown', 'done', 'ProxyShuttingDown', 'done']);
  assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
});

test('invocations that end newest first leave no listener behind', async () => {
  const { shutdown, releases, running } = await startReleasable(3);
  for (const index of [2, 1, 0]) {
    releases[index]?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(running);
  assert.equal(getEventListeners(shutdown.signal, 'abort').length, 0);
});
