import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DefinitionError, describeValue, ExactNumber, kindOf, param } from '@connector-proxy/core';

describe('declaring parameters', () => {
  test('each builder declares its editor type and is required until said otherwise', () => {
    for (const [p, type] of [
      [param.str(), 'str'],
      [param.int(), 'int'],
      [param.bool(), 'bool'],
      [param.any(), 'any'],
      [param.enum(['a', 'b']), 'str'],
    ] as const) {
      assert.equal(p.type, type);
      assert.equal(p.required, true);
      assert.equal(p.hasDefault, false);
      assert.equal(p.isSecret, false);
    }
  });

  test('the description given to a builder is kept, and describe() replaces it', () => {
    assert.equal(param.str('Host name').description, 'Host name');
    assert.equal(param.int().description, undefined);
    assert.equal(param.int('Port').describe('SMTP port').description, 'SMTP port');
    assert.equal(param.enum(['json', 'form'], 'Body format').description, 'Body format');
  });

  test('optional() and default() make a parameter not required', () => {
    assert.equal(param.str().optional().required, false);
    const withDefault = param.int().default(587);
    assert.equal(withDefault.required, false);
    assert.equal(withDefault.hasDefault, true);
    assert.equal(withDefault.defaultValue, 587);
  });

  test('secret() flags a credential without changing anything else', () => {
    const p = param.str('Password').secret().optional();
    assert.equal(p.isSecret, true);
    assert.equal(p.type, 'str');
    assert.equal(p.description, 'Password');
    assert.equal(p.required, false);
  });

  test('each modifier returns a new parameter and leaves the original as it was', () => {
    const base = param.str('Host');
    base.optional();
    base.default('localhost');
    base.secret();
    base.describe('Other');
    assert.equal(base.required, true);
    assert.equal(base.hasDefault, false);
    assert.equal(base.isSecret, false);
    assert.equal(base.description, 'Host');
  });
});

describe('checking values', () => {
  test('str accepts strings and turns numbers and booleans into text', () => {
    assert.deepEqual(param.str().check('hello'), { ok: true, value: 'hello' });
    assert.deepEqual(param.str().check(''), { ok: true, value: '' });
    assert.deepEqual(param.str().check(587), { ok: true, value: '587' });
    assert.deepEqual(param.str().check(1.5), { ok: true, value: '1.5' });
    assert.deepEqual(param.str().check(false), { ok: true, value: 'false' });
  });

  test('str refuses objects and lists, saying what it got', () => {
    assert.deepEqual(param.str().check({ a: 1 }), { ok: false, problem: 'must be a string, got an object' });
    assert.deepEqual(param.str().check([1]), { ok: false, problem: 'must be a string, got a list' });
  });

  test('int accepts integers and integer strings such as "587"', () => {
    assert.deepEqual(param.int().check(587), { ok: true, value: 587 });
    assert.deepEqual(param.int().check(-3), { ok: true, value: -3 });
    assert.deepEqual(param.int().check(0), { ok: true, value: 0 });
    assert.deepEqual(param.int().check('587'), { ok: true, value: 587 });
    assert.deepEqual(param.int().check(' -12 '), { ok: true, value: -12 });
  });

  test('int refuses fractions, non-numeric text, booleans and numbers too big to be exact', () => {
    for (const value of [1.5, 'abc', '1.5', '', '1e3', true, [], {}, 2 ** 53, '9007199254740993']) {
      const checked = param.int().check(value);
      assert.equal(checked.ok, false, `accepted ${JSON.stringify(value)}`);
    }
    assert.deepEqual(param.int().check(1.5), { ok: false, problem: 'must be an integer, got 1.5' });
    assert.deepEqual(param.int().check('abc'), { ok: false, problem: 'must be an integer, got "abc"' });
  });

  test('bool accepts booleans and the strings "true" and "false"', () => {
    assert.deepEqual(param.bool().check(true), { ok: true, value: true });
    assert.deepEqual(param.bool().check(false), { ok: true, value: false });
    assert.deepEqual(param.bool().check('true'), { ok: true, value: true });
    assert.deepEqual(param.bool().check('false'), { ok: true, value: false });
    assert.deepEqual(param.bool().check('True'), { ok: true, value: true });
  });

  test('bool refuses other strings and numbers', () => {
    for (const value of ['yes', '1', 1, 0, {}, []]) {
      assert.equal(param.bool().check(value).ok, false, `accepted ${JSON.stringify(value)}`);
    }
    assert.deepEqual(param.bool().check('yes'), { ok: false, problem: 'must be true or false, got "yes"' });
  });

  test('any passes every value through untouched', () => {
    const value = { nested: [1, 'two'] };
    const checked = param.any().check(value);
    assert.equal(checked.ok, true);
    assert.equal(checked.ok && checked.value, value);
  });

  test('enum accepts only the listed strings and names them when refusing', () => {
    const format = param.enum(['json', 'form', 'raw']);
    assert.deepEqual(format.enumValues, ['json', 'form', 'raw']);
    assert.deepEqual(format.check('form'), { ok: true, value: 'form' });
    assert.deepEqual(format.check('xml'), {
      ok: false,
      problem: 'must be one of "json", "form", "raw", got "xml"',
    });
    assert.equal(format.check({}).ok, false);
  });

  test('enum values are copied, so changing the array afterwards changes nothing', () => {
    const values = ['a', 'b'];
    const p = param.enum(values);
    values.push('c');
    assert.deepEqual(p.enumValues, ['a', 'b']);
    assert.equal(p.check('c').ok, false);
  });

  test('an enum without values is a definition error', () => {
    assert.throws(() => param.enum([]), DefinitionError);
  });

  test('a secret parameter never shows the refused value, however long', () => {
    const secretValue = 'a-very-long-token-that-is-longer-than-forty-characters-0123456789';
    for (const p of [param.int().secret(), param.bool().secret(), param.enum(['x']).secret()]) {
      const checked = p.check(secretValue);
      assert.equal(checked.ok, false);
      assert.ok(!checked.ok && !checked.problem.includes(secretValue.slice(0, 10)), !checked.ok ? checked.problem : '');
    }
    assert.deepEqual(param.int().secret().check('abc'), { ok: false, problem: 'must be an integer, got a string' });
  });
});

describe('describing values for messages', () => {
  test('short strings are quoted, long ones cut at 40 characters', () => {
    assert.equal(describeValue('abc'), '"abc"');
    assert.equal(describeValue('x'.repeat(50)), `"${'x'.repeat(40)}…"`);
  });

  test('numbers and booleans are shown, other values only by their kind', () => {
    assert.equal(describeValue(1.5), '1.5');
    assert.equal(describeValue(true), 'true');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue([1]), 'a list');
    assert.equal(describeValue({ a: 1 }), 'an object');
    assert.equal(kindOf(undefined), 'undefined');
    assert.equal(
      kindOf(() => {}),
      'a function',
    );
    assert.equal(kindOf('x'), 'a string');
    assert.equal(kindOf(1), 'a number');
  });
});

test("param.custom lists its declared type and checks values with the connector's function", () => {
  const textOrList = param.custom<string | unknown[]>('str', (value) =>
    typeof value === 'string' || Array.isArray(value)
      ? { ok: true, value }
      : { ok: false, problem: 'must be a text or a list' },
  );
  assert.equal(textOrList.type, 'str');
  assert.equal(textOrList.required, true);
  assert.deepEqual(textOrList.check(['a', 'b']), { ok: true, value: ['a', 'b'] });
  assert.deepEqual(textOrList.check(7), { ok: false, problem: 'must be a text or a list' });
  assert.equal(textOrList.optional().required, false);
});

describe('integers, exact and bounded', () => {
  test('int refuses an integer a double would round, saying the command needs a safe integer', () => {
    for (const value of [new ExactNumber('9007199254740993'), '9007199254740993', 2 ** 53, new ExactNumber('1e30')]) {
      const checked = param.int().check(value);
      assert.equal(checked.ok, false);
      assert.match(
        checked.ok ? '' : checked.problem,
        /^must be an integer from -9007199254740991 to 9007199254740991 \(this command needs a safe integer\), got /,
      );
    }
    assert.deepEqual(param.int().check(new ExactNumber('1.0000000000000000001')), {
      ok: false,
      problem: 'must be an integer, got 1.0000000000000000001',
    });
  });

  test('bigint takes integers of any size from numbers, integer strings and exact numbers, and is listed as int', () => {
    const big = param.bigint();
    assert.equal(big.type, 'int');
    assert.deepEqual(big.check(587), { ok: true, value: 587n });
    assert.deepEqual(big.check(' -12 '), { ok: true, value: -12n });
    assert.deepEqual(big.check('123456789012345678901234567890'), { ok: true, value: 123456789012345678901234567890n });
    assert.deepEqual(big.check(new ExactNumber('18446744073709551615')), { ok: true, value: 18446744073709551615n });
    assert.deepEqual(big.check(new ExactNumber('1.5e3')), { ok: true, value: 1500n });
    assert.deepEqual(big.check(new ExactNumber('1e30')), { ok: true, value: 10n ** 30n });
    for (const value of [1.5, 'x', new ExactNumber('1.0000000000000000001'), new ExactNumber('1e99999'), true, {}]) {
      assert.equal(big.check(value).ok, false, String(value));
    }
  });

  test('min and max bound int and bigint parameters', () => {
    const port = param.int().min(1).max(65_535);
    assert.deepEqual(port.check(587), { ok: true, value: 587 });
    assert.deepEqual(port.check(0), { ok: false, problem: 'must be between 1 and 65535, got 0' });
    assert.deepEqual(port.check('70000'), { ok: false, problem: 'must be between 1 and 65535, got 70000' });
    assert.deepEqual(param.int().min(1).check(0), { ok: false, problem: 'must be at least 1, got 0' });
    assert.deepEqual(param.int().max(9).check(10), { ok: false, problem: 'must be at most 9, got 10' });
    assert.deepEqual(param.bigint().min(0n).check(-1), { ok: false, problem: 'must be at least 0, got -1' });
    assert.equal(param.int().min(1).optional().default(5).check(3).ok, true);
  });

  test('str keeps the digits of an exact number; kindOf and describeValue call it a number', () => {
    assert.deepEqual(param.str().check(new ExactNumber('9007199254740993')), { ok: true, value: '9007199254740993' });
    assert.equal(kindOf(new ExactNumber('1e400')), 'a number');
    assert.equal(describeValue(new ExactNumber('1e400')), '1e400');
    assert.deepEqual(param.bool().check(new ExactNumber('1e400')), {
      ok: false,
      problem: 'must be true or false, got 1e400',
    });
  });
});
