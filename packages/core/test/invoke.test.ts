import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import {
  type CommandContext,
  CommandError,
  type CommandOutput,
  DEFAULT_TIMEOUT_MS,
  defineCommand,
  type EnvelopeV2,
  type Invocation,
  invoke,
  invokeNow,
  MAX_LOG_LINES,
  type ParamShape,
  param,
  rejected,
} from '@connector-proxy/core';
import { MAX_LOG_LINE_LENGTH } from '../src/invoke.js';

/** A command with the given params whose run is the given function (its arguments are recorded). */
function commandOf(
  params: ParamShape,
  run: (args: Record<string, unknown>, context: CommandContext) => unknown = () => ({ body: 'ok' }),
  timeoutMs?: number,
) {
  const calls: { args: Record<string, unknown>; context: CommandContext }[] = [];
  const command = defineCommand({
    params,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    run: (args, context) => {
      calls.push({ args, context });
      return run(args, context) as CommandOutput;
    },
  });
  return { command, calls };
}

function v2(invocation: Invocation): EnvelopeV2 & { failure: string | null } {
  assert.equal(invocation.kind, 'v2');
  return { ...invocation.envelope, failure: invocation.failure };
}

class QuotaExceeded extends Error {}
class NamedError extends Error {
  override name = 'ServiceUnavailable';
}

describe('the request body', () => {
  test('a body that is not a JSON object is refused as invalid_request, with spiff__logs present', async () => {
    const { command, calls } = commandOf({});
    for (const body of [null, undefined, [], ['a'], 'text', 42, true]) {
      const answer = v2(await invoke(command, body));
      assert.equal(answer.failure, 'invalid_request');
      assert.equal(answer.error?.error_code, 'InvalidRequest');
      assert.deepEqual(answer.spiff__logs, []);
      assert.deepEqual(answer.command_response, {});
    }
    assert.equal(calls.length, 0);
  });

  test('every spiff__ key is dropped before binding and handed to the context instead', async () => {
    const { command, calls } = commandOf({ message: param.str() });
    const answer = v2(
      await invoke(command, {
        message: 'hi',
        spiff__task_data: { order: 7 },
        spiff__callback_url: 'http://arena/callback/1',
        spiff__process_instance_id: 42,
        spiff__process_model_identifier: 'group/model',
        spiff__task_id: 'abc-123',
        spiff__something_new: 'ignored quietly',
      }),
    );
    assert.equal(answer.error, null);
    const [call] = calls;
    assert.deepEqual(call?.args, { message: 'hi' });
    assert.deepEqual(call?.context.taskData, { order: 7 });
    assert.deepEqual(call?.context.task, {
      callbackUrl: 'http://arena/callback/1',
      processInstanceId: '42',
      processModelIdentifier: 'group/model',
      taskId: 'abc-123',
    });
    assert.deepEqual(answer.spiff__logs, []);
  });

  test('task data defaults to {} when absent or not an object, and task info to {}', async () => {
    const { command, calls } = commandOf({});
    await invoke(command, {});
    await invoke(command, { spiff__task_data: '{}' });
    await invoke(command, { spiff__task_data: null });
    for (const call of calls) {
      assert.deepEqual(call.context.taskData, {});
      assert.deepEqual(call.context.task, {});
    }
  });

  test('the proxy configuration reaches the context, {} by default', async () => {
    const { command, calls } = commandOf({});
    await invoke(command, {}, { config: { API_URL: 'https://x' } });
    await invoke(command, {});
    assert.deepEqual(calls[0]?.context.config, { API_URL: 'https://x' });
    assert.deepEqual(calls[1]?.context.config, {});
  });

  test('unknown parameters are ignored and named in spiff__logs', async () => {
    const { command, calls } = commandOf({ a: param.str() });
    const answer = v2(await invoke(command, { a: 'x', extra: 1, other: 2 }));
    assert.equal(answer.error, null);
    assert.deepEqual(calls[0]?.args, { a: 'x' });
    assert.deepEqual(answer.spiff__logs, ['ignored unknown parameters: extra, other']);
    const one = v2(await invoke(command, { a: 'x', extra: 1 }));
    assert.deepEqual(one.spiff__logs, ['ignored unknown parameter: extra']);
  });

  test('__proto__ and constructor keys from JSON.parse neither pollute Object.prototype nor become params', async () => {
    const { command, calls } = commandOf({ name: param.str(), extra: param.any().optional() });
    const body = JSON.parse(
      '{"__proto__": {"polluted": true, "extra": "from proto"}, "constructor": {"prototype": {"polluted": true}}, "name": "x"}',
    );
    const answer = v2(await invoke(command, body));
    assert.equal(answer.error, null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
    const args = calls[0]?.args;
    assert.deepEqual(Object.keys(args ?? {}), ['name', 'extra']);
    assert.equal(args?.extra, undefined);
    assert.equal(Object.getPrototypeOf(args), Object.prototype);
    assert.deepEqual(answer.spiff__logs, ['ignored unknown parameters: __proto__, constructor']);
  });

  test('a parameter named like an Object member is only bound from the body, never inherited', async () => {
    const { command, calls } = commandOf({ constructor: param.any().optional(), toString: param.str().optional() });
    v2(await invoke(command, {}));
    assert.equal(calls[0]?.args.constructor, undefined);
    assert.equal(calls[0]?.args.toString, undefined);
    const required = commandOf({ constructor: param.str() });
    assert.equal(v2(await invoke(required.command, {})).error?.message, 'invalid parameters: constructor is required');
  });
});

describe('parameter validation', () => {
  test('every problem is reported at once, in one message naming each parameter, with http_status 400', async () => {
    const { command, calls } = commandOf({
      host: param.str(),
      port: param.int(),
      tls: param.bool(),
      format: param.enum(['json', 'form']),
      fine: param.str(),
    });
    const answer = v2(await invoke(command, { port: 1.5, tls: 'yes', format: 'xml', fine: 'ok', extra: 1 }));
    assert.equal(answer.failure, 'invalid_parameters');
    assert.deepEqual(answer.error, {
      error_code: 'InvalidParameters',
      message:
        'invalid parameters: host is required; port must be an integer, got 1.5; tls must be true or false, got "yes"; format must be one of "json", "form", got "xml"',
    });
    assert.deepEqual(answer.command_response, { http_status: 400 });
    assert.deepEqual(answer.spiff__logs, ['ignored unknown parameter: extra']);
    assert.equal(calls.length, 0);
  });

  test('values are coerced as the declarations say before run sees them', async () => {
    const { command, calls } = commandOf({
      port: param.int(),
      tls: param.bool(),
      label: param.str(),
      flag: param.str(),
      data: param.any(),
    });
    const data = { nested: [1, 2] };
    assert.equal(v2(await invoke(command, { port: '587', tls: 'false', label: 42, flag: true, data })).error, null);
    assert.deepEqual(calls[0]?.args, { port: 587, tls: false, label: '42', flag: 'true', data });
  });

  test('null for an optional parameter means not given', async () => {
    const { command, calls } = commandOf({ user: param.str().optional(), data: param.any().optional() });
    v2(await invoke(command, { user: null, data: null }));
    assert.deepEqual(calls[0]?.args, { user: undefined, data: undefined });
    assert.ok(Object.hasOwn(calls[0]?.args ?? {}, 'user'));
  });

  test('null or nothing for a parameter with a default gives the default', async () => {
    const { command, calls } = commandOf({ port: param.int().default(25), tls: param.bool().default(true) });
    v2(await invoke(command, { port: null }));
    assert.deepEqual(calls[0]?.args, { port: 25, tls: true });
  });

  test('null for a required parameter is reported as missing', async () => {
    const { command } = commandOf({ host: param.str() });
    assert.equal(v2(await invoke(command, { host: null })).error?.message, 'invalid parameters: host is required');
  });

  test('an object default is copied for each run, so one run cannot change the next one', async () => {
    const { command, calls } = commandOf({ headers: param.any().default({ accept: 'json' }) }, (args) => {
      (args.headers as Record<string, string>).added = 'by run';
      return { body: null };
    });
    await invoke(command, {});
    await invoke(command, {});
    assert.deepEqual(calls[1]?.args.headers, { accept: 'json', added: 'by run' });
    assert.notEqual(calls[0]?.args.headers, calls[1]?.args.headers);
    assert.deepEqual(command.params.headers?.defaultValue, { accept: 'json' });
  });
});

describe('results', () => {
  test('a result becomes command_response, application/json by default', async () => {
    const { command } = commandOf({}, () => ({ body: { ok: true } }));
    assert.deepEqual(await invoke(command, {}), {
      kind: 'v2',
      failure: null,
      envelope: {
        command_response: { body: { ok: true }, mimetype: 'application/json' },
        error: null,
        command_response_version: 2,
        spiff__logs: [],
      },
    });
  });

  test('mimetype, httpStatus and headers of a result are put on the wire in snake_case', async () => {
    const { command } = commandOf({}, async () => ({
      body: 'plain',
      mimetype: 'text/plain',
      httpStatus: 201,
      headers: { etag: '"1"' },
    }));
    assert.deepEqual(v2(await invoke(command, {})).command_response, {
      body: 'plain',
      mimetype: 'text/plain',
      http_status: 201,
      headers: { etag: '"1"' },
    });
  });

  test('a body of undefined is sent as null, so the envelope keeps its body', async () => {
    const { command } = commandOf({}, () => ({ body: undefined }));
    const answer = v2(await invoke(command, {}));
    assert.equal(answer.error, null);
    assert.ok(Object.hasOwn(answer.command_response, 'body'));
    assert.equal(answer.command_response.body, null);
  });

  test('what the command logged comes back in spiff__logs, in order', async () => {
    const { command } = commandOf({}, (_args, { log }) => {
      log('will send');
      log('did send');
      return { body: null };
    });
    assert.deepEqual(v2(await invoke(command, {})).spiff__logs, ['will send', 'did send']);
  });

  test('a legacy result is answered as the Python proxy does: text as is, objects as JSON, status 200 by default', async () => {
    const text = commandOf({}, (_args, { log }) => {
      log('legacy');
      return { response: 'Hello', mimetype: 'text/plain' };
    });
    assert.deepEqual(await invoke(text.command, {}), {
      kind: 'v1',
      answer: { status: 200, mimetype: 'text/plain', body: 'Hello' },
      logs: ['legacy'],
    });
    const object = commandOf({}, () => ({ response: { a: [1] }, status: 201, mimetype: 'application/json' }));
    assert.deepEqual(await invoke(object.command, {}), {
      kind: 'v1',
      answer: { status: 201, mimetype: 'application/json', body: '{"a":[1]}' },
      logs: [],
    });
    const bare = commandOf({}, () => ({ response: { a: 1 } }));
    assert.deepEqual(await invoke(bare.command, {}), {
      kind: 'v1',
      answer: { status: 200, mimetype: 'application/json', body: '{"a":1}' },
      logs: [],
    });
  });

  test('a legacy status outside 200..599 is an InvalidCommandResult crash', async () => {
    for (const status of [99, 101, 600, 200.5]) {
      const { command } = commandOf({}, () => ({ response: 'x', status }));
      const answer = v2(await invoke(command, {}));
      assert.equal(answer.failure, 'crash');
      assert.equal(answer.error?.error_code, 'InvalidCommandResult');
    }
  });

  test('a result that is neither { body } nor { response } is an InvalidCommandResult crash', async () => {
    for (const output of [undefined, null, 'text', 42, [], {}, { status: 200 }, { command_response: {} }]) {
      const { command } = commandOf({}, (_args, { log }) => {
        log('ran');
        return output;
      });
      const answer = v2(await invoke(command, {}));
      assert.equal(answer.failure, 'crash');
      assert.equal(answer.error?.error_code, 'InvalidCommandResult');
      assert.match(answer.error?.message ?? '', /not \{ body \} or \{ response \}/);
      assert.deepEqual(answer.spiff__logs, ['ran']);
    }
  });

  test('a result with a malformed httpStatus, mimetype or headers is an InvalidCommandResult crash', async () => {
    for (const output of [
      { body: null, httpStatus: '200' },
      { body: null, httpStatus: 42 },
      { body: null, httpStatus: 200.5 },
      { body: null, mimetype: 5 },
      { body: null, mimetype: '' },
      { body: null, headers: 'x-a: b' },
      { body: null, headers: { 'x-a': 1 } },
      { response: 'x', mimetype: 5 },
    ]) {
      const { command } = commandOf({}, () => output);
      const answer = v2(await invoke(command, {}));
      assert.equal(answer.error?.error_code, 'InvalidCommandResult', JSON.stringify(output));
      assert.equal(answer.failure, 'crash');
    }
  });
});

describe('failures', () => {
  test('a CommandError is folded with its code, message and http_status, keeping the logs', async () => {
    const { command } = commandOf({}, (_args, { log }) => {
      log('calling upstream');
      throw new CommandError('HttpError404', 'upstream said not found', { httpStatus: 404 });
    });
    const answer = v2(await invoke(command, {}));
    assert.equal(answer.failure, 'command');
    assert.deepEqual(answer.error, { error_code: 'HttpError404', message: 'upstream said not found' });
    assert.deepEqual(answer.command_response, { body: null, mimetype: 'application/json', http_status: 404 });
    assert.deepEqual(answer.spiff__logs, ['calling upstream']);
  });

  test('a CommandError without a status answers a null body beside the error, as the Python connectors do', async () => {
    const { command } = commandOf({}, async () => {
      throw new CommandError('SMTPAuthenticationError', 'refused');
    });
    const answer = v2(await invoke(command, {}));
    assert.deepEqual(answer.command_response, { body: null, mimetype: 'application/json' });
    assert.equal(answer.error?.error_code, 'SMTPAuthenticationError');
  });

  test('a CommandError from another copy of core is recognised by its name and code', async () => {
    const foreign = Object.assign(new Error('elsewhere'), { name: 'CommandError', code: 'Elsewhere', httpStatus: 503 });
    const { command } = commandOf({}, () => {
      throw foreign;
    });
    const answer = v2(await invoke(command, {}));
    assert.equal(answer.failure, 'command');
    assert.equal(answer.error?.error_code, 'Elsewhere');
    assert.equal(answer.command_response.http_status, 503);
  });

  test("any other throw is a crash whose error_code is the error's name, as Python uses the class name", async () => {
    const cases: [unknown, string, string][] = [
      [new TypeError('bad type'), 'TypeError', 'bad type'],
      [new RangeError('too far'), 'RangeError', 'too far'],
      [new Error('plain'), 'Error', 'plain'],
      [new QuotaExceeded('over quota'), 'QuotaExceeded', 'over quota'],
      [new NamedError('down'), 'ServiceUnavailable', 'down'],
      [new DOMException('stopped', 'AbortError'), 'AbortError', 'stopped'],
    ];
    for (const [thrown, code, message] of cases) {
      const { command } = commandOf({}, () => {
        throw thrown;
      });
      const answer = v2(await invoke(command, {}));
      assert.equal(answer.failure, 'crash');
      assert.deepEqual(answer.error, { error_code: code, message });
      assert.deepEqual(answer.command_response, {});
    }
  });

  test('a rejected promise is folded like a throw', async () => {
    const { command } = commandOf({}, () => Promise.reject(new SyntaxError('bad json')));
    assert.equal(v2(await invoke(command, {})).error?.error_code, 'SyntaxError');
  });

  test('a thrown value that is not an Error is still folded, never thrown from invoke', async () => {
    const cases: [unknown, string][] = [
      ['just text', 'just text'],
      [42, '42'],
      [undefined, 'undefined'],
      [null, 'null'],
      [Object.create(null), 'an object'],
      [
        {
          toString() {
            throw new Error('no');
          },
        },
        'an object',
      ],
    ];
    for (const [thrown, message] of cases) {
      const { command } = commandOf({}, () => {
        throw thrown;
      });
      const answer = v2(await invoke(command, {}));
      assert.equal(answer.failure, 'crash');
      assert.deepEqual(answer.error, { error_code: 'Error', message });
    }
  });

  test('an error with a strange name or message still gives a string code and message', async () => {
    const odd = new Error('x');
    Object.defineProperty(odd, 'name', { value: 42 });
    Object.defineProperty(odd, 'message', { value: { not: 'text' } });
    const { command } = commandOf({}, () => {
      throw odd;
    });
    const error = v2(await invoke(command, {})).error;
    assert.equal(typeof error?.error_code, 'string');
    assert.equal(typeof error?.message, 'string');
  });
});

describe('secrets', () => {
  const params = { user: param.str(), password: param.str().secret(), pin: param.int().secret().optional() };

  test('secret values are masked in spiff__logs', async () => {
    const { command } = commandOf(params, (args, { log }) => {
      log(`login ${String(args.user)} with ${String(args.password)}`);
      return { body: null };
    });
    const answer = v2(await invoke(command, { user: 'ann', password: 'hunter22' }));
    assert.deepEqual(answer.spiff__logs, ['login ann with ***']);
  });

  test('secret values are masked in CommandError and crash messages', async () => {
    for (const thrown of [
      new CommandError('AuthError', 'refused password hunter22'),
      new Error('refused password hunter22'),
    ]) {
      const { command } = commandOf(params, () => {
        throw thrown;
      });
      const answer = v2(await invoke(command, { user: 'ann', password: 'hunter22' }));
      assert.equal(answer.error?.message, 'refused password ***');
    }
  });

  test('secret values are never shown in InvalidParameters messages', async () => {
    const long = `${'x'.repeat(30)}-secret-pin-that-is-quite-long`;
    const { command } = commandOf(params);
    const answer = v2(await invoke(command, { user: 'ann', password: 'hunter22', pin: long }));
    assert.equal(answer.error?.error_code, 'InvalidParameters');
    assert.ok(!answer.error?.message.includes('xxxxxxxx'), answer.error?.message);
  });

  test('a secret given as an integer string is also masked in the form run receives', async () => {
    const { command } = commandOf(params, (args, { log }) => {
      log(`pin ${String(args.pin)}`);
      return { body: null };
    });
    const answer = v2(await invoke(command, { user: 'ann', password: 'hunter22', pin: ' 98765 ' }));
    assert.deepEqual(answer.spiff__logs, ['pin ***']);
  });
});

describe('logs', () => {
  test('at most MAX_LOG_LINES lines are kept, then one line says how many were dropped', async () => {
    const { command } = commandOf({}, (_args, { log }) => {
      for (let i = 0; i < MAX_LOG_LINES + 50; i += 1) log(`line ${i}`);
      return { body: null };
    });
    const logs = v2(await invoke(command, {})).spiff__logs;
    assert.equal(logs.length, MAX_LOG_LINES + 1);
    assert.equal(logs[MAX_LOG_LINES - 1], `line ${MAX_LOG_LINES - 1}`);
    assert.equal(logs[MAX_LOG_LINES], '… 50 more log lines dropped');
  });

  test('a very long line is cut', async () => {
    const { command } = commandOf({}, (_args, { log }) => {
      log('y'.repeat(MAX_LOG_LINE_LENGTH * 2));
      return { body: null };
    });
    const [line] = v2(await invoke(command, {})).spiff__logs;
    assert.equal(line, `${'y'.repeat(MAX_LOG_LINE_LENGTH)}…`);
  });

  test('lines logged after the command finished are dropped', async () => {
    let later: (() => void) | undefined;
    const { command } = commandOf({}, (_args, { log }) => {
      later = () => log('after the answer');
      return { body: null };
    });
    const answer = v2(await invoke(command, {}));
    later?.();
    assert.deepEqual(answer.spiff__logs, []);
  });
});

describe('the deadline', () => {
  test('a command that does not finish in time fails with CommandTimeout, http_status 504, and its signal aborts', async () => {
    const { command, calls } = commandOf({}, (_args, { log }) => {
      log('started');
      return new Promise(() => {});
    });
    const answer = v2(await invoke(command, {}, { timeoutMs: 20 }));
    assert.equal(answer.failure, 'command');
    assert.deepEqual(answer.error, {
      error_code: 'CommandTimeout',
      message: 'the command did not finish within 20 ms',
    });
    assert.deepEqual(answer.command_response, { body: null, mimetype: 'application/json', http_status: 504 });
    assert.deepEqual(answer.spiff__logs, ['started']);
    const signal = calls[0]?.context.signal;
    assert.ok(signal?.aborted);
    assert.ok(signal.reason instanceof DOMException);
    assert.equal(signal.reason.name, 'TimeoutError');
  });

  test('a command that rejects when its signal aborts still reports CommandTimeout', async () => {
    const { command } = commandOf(
      {},
      (_args, { signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    );
    assert.equal(v2(await invoke(command, {}, { timeoutMs: 15 })).error?.error_code, 'CommandTimeout');
  });

  test("a command's own timeoutMs can shorten the proxy's deadline but never lengthen it", async () => {
    const never = () => new Promise(() => {});
    const shorter = commandOf({}, never, 10);
    assert.match(v2(await invoke(shorter.command, {}, { timeoutMs: 5_000 })).error?.message ?? '', /within 10 ms/);
    const longer = commandOf({}, never, 60_000);
    assert.match(v2(await invoke(longer.command, {}, { timeoutMs: 15 })).error?.message ?? '', /within 15 ms/);
  });

  test('without options the deadline is DEFAULT_TIMEOUT_MS', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const { command } = commandOf({}, () => new Promise(() => {}));
    let settled = false;
    const running = invoke(command, {}).then((invocation) => {
      settled = true;
      return invocation;
    });
    t.mock.timers.tick(DEFAULT_TIMEOUT_MS - 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false);
    t.mock.timers.tick(1);
    const answer = v2(await running);
    assert.equal(answer.error?.message, `the command did not finish within ${DEFAULT_TIMEOUT_MS} ms`);
  });

  test('a timeout too large for a timer means a long deadline, not an immediate one', async () => {
    const { command } = commandOf({}, async () => {
      await delay(15);
      return { body: 'done' };
    });
    for (const timeoutMs of [2 ** 31, Number.POSITIVE_INFINITY]) {
      const answer = v2(await invoke(command, {}, { timeoutMs }));
      assert.equal(answer.error, null, `timeoutMs ${timeoutMs}`);
    }
  });

  test('a command that ignores the deadline and rejects later causes no unhandled rejection, and its late logs are dropped', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { command } = commandOf({}, async (_args, { log }) => {
        log('before');
        await delay(30);
        log('after the deadline');
        throw new Error('late failure');
      });
      const answer = v2(await invoke(command, {}, { timeoutMs: 10 }));
      assert.equal(answer.error?.error_code, 'CommandTimeout');
      await delay(50);
      assert.deepEqual(unhandled, []);
      assert.deepEqual(answer.spiff__logs, ['before']);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('an outside signal (shutdown) aborts the context signal too', async () => {
    const outside = new AbortController();
    const { command, calls } = commandOf({}, (_args, { signal }) => {
      outside.abort();
      return { body: signal.aborted };
    });
    const answer = v2(await invoke(command, {}, { signal: outside.signal }));
    assert.equal(answer.command_response.body, true);
    assert.equal(calls[0]?.context.signal.aborted, true);
  });

  test('a command that finishes in time is not aborted', async () => {
    const { command, calls } = commandOf({}, () => ({ body: null }));
    await invoke(command, {}, { timeoutMs: 10 });
    await delay(20);
    assert.equal(calls[0]?.context.signal.aborted, false);
  });
});

test('rejected builds an envelope for a failure before any command ran', () => {
  assert.deepEqual(rejected('not_found', 'command_not_found', 'no such command'), {
    kind: 'v2',
    failure: 'not_found',
    envelope: {
      command_response: {},
      error: { error_code: 'command_not_found', message: 'no such command' },
      command_response_version: 2,
      spiff__logs: [],
    },
  });
});

describe('errors that carry more than a code', () => {
  test('a CommandError with a body sends the body beside the error, as connector-http does for HttpError404', async () => {
    const command = defineCommand({
      params: {},
      run() {
        throw new CommandError('HttpError404', 'not there', {
          httpStatus: 404,
          body: { detail: 'no such order' },
          headers: { 'x-request-id': 'r1' },
        });
      },
    });
    const invocation = await invoke(command, {});
    assert.equal(invocation.kind, 'v2');
    if (invocation.kind !== 'v2') return;
    assert.equal(invocation.failure, 'command');
    assert.deepEqual(invocation.envelope.command_response, {
      body: { detail: 'no such order' },
      mimetype: 'application/json',
      http_status: 404,
      headers: { 'x-request-id': 'r1' },
    });
    assert.deepEqual(invocation.envelope.error, { error_code: 'HttpError404', message: 'not there' });
  });

  test("InvalidParameters thrown by run is refused like core's own parameter check (failure invalid_parameters)", async () => {
    const command = defineCommand({
      params: { headers: param.any().optional() },
      run() {
        throw new CommandError('InvalidParameters', 'headers must be an object of texts', { httpStatus: 400 });
      },
    });
    const invocation = await invoke(command, { headers: [1] });
    assert.equal(invocation.kind === 'v2' && invocation.failure, 'invalid_parameters');
  });

  test('the context tells the deadline, so a retrying command can plan its waits', async () => {
    const command = defineCommand({ params: {}, run: (_, { deadline }) => ({ body: deadline }) });
    const before = Date.now();
    const invocation = await invoke(command, {}, { timeoutMs: 5_000 });
    assert.equal(invocation.kind, 'v2');
    if (invocation.kind !== 'v2') return;
    const deadline = invocation.envelope.command_response.body as number;
    assert.ok(deadline >= before + 5_000 && deadline <= Date.now() + 5_000);
  });
});

describe('invokeNow', () => {
  const Sync = defineCommand({
    params: { n: param.int() },
    run: ({ n }, { log }) => {
      log('ran');
      return { body: n * 2 };
    },
  });
  const Async = defineCommand({ params: { n: param.int() }, run: async ({ n }) => ({ body: n * 3 }) });

  test('answers a synchronous command as it is, and an asynchronous one in a promise, as invoke does', async () => {
    const now = invokeNow(Sync, { n: 2 });
    assert.ok(!(now instanceof Promise));
    assert.deepEqual(now, await invoke(Sync, { n: 2 }));
    assert.deepEqual(now.kind === 'v2' && now.envelope.spiff__logs, ['ran']);
    const later = invokeNow(Async, { n: 2 });
    assert.ok(later instanceof Promise);
    assert.deepEqual(await later, await invoke(Async, { n: 2 }));
  });

  test('refuses bad parameters synchronously too', () => {
    const refused = invokeNow(Sync, { n: 'two' });
    assert.ok(!(refused instanceof Promise));
    assert.equal(refused.kind === 'v2' && refused.envelope.error?.error_code, 'InvalidParameters');
  });
});
