import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CommandError,
  defineCommand,
  ExactNumber,
  invoke,
  isCommandError,
  narrow,
  param,
  parseJson,
  shape,
} from '@connector-proxy/core';

const order = param.object({
  id: shape.bigint(),
  items: shape.array(shape.object({ sku: shape.str(), qty: shape.int().min(1) })),
  note: shape.str().optional(),
  rush: shape.bool().default(false),
});

describe('structured parameters', () => {
  test('an object is narrowed field by field: coerced, defaults filled, absent optionals left out', () => {
    const checked = order.check({ id: '12345678901234567890', items: [{ sku: 7, qty: '2' }], note: null });
    assert.deepEqual(checked, {
      ok: true,
      value: { id: 12345678901234567890n, items: [{ sku: '7', qty: 2 }], rush: false },
    });
    assert.equal(order.type, 'any');
  });

  test('every problem is reported at once, each with its path', () => {
    const checked = order.check({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 0 }, { qty: 'x' }], color: 'red' });
    assert.equal(checked.ok, false);
    assert.deepEqual(!checked.ok && checked.problems?.map((p) => [p.path.join('/'), p.message]), [
      ['id', 'is required'],
      ['items/1/qty', 'must be at least 1, got 0'],
      ['items/2/sku', 'is required'],
      ['items/2/qty', 'must be an integer, got "x"'],
      ['color', 'is not expected here (known: id, items, note, rush)'],
    ]);
    assert.equal(
      !checked.ok && checked.problem,
      'id is required; items[1].qty must be at least 1, got 0; items[2].sku is required; items[2].qty must be an integer, got "x"; color is not expected here (known: id, items, note, rush)',
    );
  });

  test('invoke names each nested problem under the parameter, all in one InvalidParameters', async () => {
    const command = defineCommand({ params: { data: order }, run: () => ({ body: null }) });
    const invocation = await invoke(command, {
      data: { id: 1, items: [{ sku: 'a', qty: 1 }, {}, { sku: 'c', qty: 'x' }] },
    });
    assert.equal(invocation.kind, 'v2');
    assert.equal(
      invocation.kind === 'v2' && invocation.envelope.error?.message,
      'invalid parameters: data.items[1].sku is required; data.items[1].qty is required; data.items[2].qty must be an integer, got "x"',
    );
    assert.equal(invocation.kind === 'v2' && invocation.failure, 'invalid_parameters');
  });

  test('additional keys are passed through when the object allows them', () => {
    const open = param.object({ a: shape.int() }, { additional: true });
    assert.deepEqual(open.check({ a: 1, b: [2] }), { ok: true, value: { a: 1, b: [2] } });
    assert.equal(open.schema.additionalProperties, undefined);
  });

  test('a wrong kind is named with what was expected', () => {
    assert.deepEqual(order.check([1]), { ok: false, problem: 'must be an object, got a list' });
    assert.deepEqual(param.array(shape.str()).check('x'), { ok: false, problem: 'must be a list, got a string' });
    assert.deepEqual(param.record(shape.str(), { expected: 'an object of names to texts' }).check(3), {
      ok: false,
      problem: 'must be an object of names to texts, got a number',
    });
  });

  test('a record checks every value, drops nulls for an optional value shape and can refuse keys', () => {
    const headers = param.record(shape.str().optional(), {
      key: (key) => (/^[\w-]+$/.test(key) ? undefined : `: ${JSON.stringify(key)} is not a valid header name`),
    });
    assert.deepEqual(headers.check({ Accept: 'x', 'X-Skip': null, n: 5 }), {
      ok: true,
      value: { Accept: 'x', n: '5' },
    });
    const bad = headers.check({ 'a b': 'x', c: {} });
    assert.equal(!bad.ok && bad.problem, ': "a b" is not a valid header name; c must be a string, got an object');
    const strict = param.record(shape.int());
    assert.equal(!strict.check({ a: null }).ok && 'refused', 'refused');
  });

  test('a record keeps a "__proto__" key as an own key', () => {
    const parsed = parseJson('{"__proto__": "x"}');
    const checked = param.record(shape.str()).check(parsed.ok && parsed.value);
    assert.ok(checked.ok && Object.hasOwn(checked.value, '__proto__'));
    assert.equal(Object.getPrototypeOf(checked.ok && checked.value), Object.prototype);
  });

  test('a union takes the first member that fits; when one had the right kind its inner problems are shown', () => {
    const textOrList = param.union([shape.str(), shape.array(shape.str())]);
    assert.deepEqual(textOrList.check('a'), { ok: true, value: 'a' });
    assert.deepEqual(textOrList.check(['a', 1]), { ok: true, value: ['a', '1'] });
    assert.deepEqual(textOrList.check({}), { ok: false, problem: 'must be a string or a list, got an object' });
    const item = param.union([shape.str(), shape.object({ name: shape.str() })], { expected: 'a name or { name }' });
    const checked = item.check({ name: [] });
    assert.equal(!checked.ok && checked.problem, 'name must be a string, got a list');
    assert.deepEqual(item.check(true), { ok: true, value: 'true' });
    assert.deepEqual(param.union([shape.int(), shape.object({})], { expected: 'a number or {}' }).check([]), {
      ok: false,
      problem: 'must be a number or {}, got a list',
    });
  });

  test('refine checks further and converts; its problems may point inside the value', () => {
    const email = shape
      .str()
      .refine((text) =>
        text.includes('@')
          ? { ok: true, value: { address: text } }
          : { ok: false, problem: `: ${JSON.stringify(text)} is not an email address` },
      );
    const list = param.array(email);
    assert.deepEqual(list.check(['a@b.c']), { ok: true, value: [{ address: 'a@b.c' }] });
    const checked = list.check(['a@b.c', 'jane']);
    assert.equal(!checked.ok && checked.problem, '[1]: "jane" is not an email address');
    const file = param
      .object({ content: shape.str() })
      .refine((value) =>
        value.content === ''
          ? { ok: false, problem: 'x', problems: [{ path: ['content'], message: 'is empty' }] }
          : { ok: true, value },
      );
    const refused = file.check({ content: '' });
    assert.equal(!refused.ok && refused.problem, 'content is empty');
  });

  test('a secret nested value is never shown in a problem', () => {
    const credentials = param.object({ pin: shape.int().secret(), user: shape.str() });
    const checked = credentials.check({ pin: 'hunter2-secret', user: 'x' });
    assert.equal(!checked.ok && checked.problem, 'pin must be an integer, got a string');
    const whole = param.object({ pin: shape.int() }).secret();
    assert.equal(!whole.check({ pin: 'hunter2-secret' }).ok && 'hidden', 'hidden');
    const hidden = whole.check({ pin: 'hunter2-secret' });
    assert.ok(!hidden.ok && !hidden.problem.includes('hunter2'));
  });

  test('exact numbers inside structured values keep their digits', () => {
    const parsed = parseJson('{"ids": [9007199254740993], "label": 12345678901234567890}');
    const checked = param
      .object({ ids: shape.array(shape.bigint()), label: shape.str() })
      .check(parsed.ok ? parsed.value : undefined);
    assert.deepEqual(checked, { ok: true, value: { ids: [9007199254740993n], label: '12345678901234567890' } });
    assert.deepEqual(param.array(shape.any()).check([new ExactNumber('1e400')]).ok, true);
  });

  test('narrow checks where only the command knows the shape, refusing as core does', () => {
    const pairs = param.record(shape.str());
    assert.deepEqual(narrow(pairs, { a: 1 }, 'data'), { a: '1' });
    assert.throws(
      () => narrow(pairs, { a: {}, b: [] }, 'data'),
      (error: unknown) =>
        isCommandError(error) &&
        error instanceof CommandError &&
        error.code === 'InvalidParameters' &&
        error.httpStatus === 400 &&
        error.message ===
          'invalid parameters: data.a must be a string, got an object; data.b must be a string, got a list',
    );
  });

  test('a deeply nested value is checked without overflowing the stack (the body bound keeps it shallow)', () => {
    type Tree = { child?: Tree };
    let tree: Tree = {};
    for (let i = 0; i < 900; i++) tree = { child: tree };
    const node: ReturnType<typeof param.any> = param.any();
    assert.equal(param.object({ child: node.optional() }).check(tree).ok, true);
  });
});
