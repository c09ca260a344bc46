import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_MAX_DEPTH,
  ExactNumber,
  isExactNumber,
  isJsonObject,
  JsonError,
  parseJson,
  stringifyJson,
  toPathText,
} from '@connector-proxy/core';

function parsed(text: string): unknown {
  const result = parseJson(text);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.value;
}

const deepList = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const deepObject = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describe('parseJson', () => {
  test('integers beyond 2^53 keep their exact text, byte for byte through stringifyJson', () => {
    for (const text of [
      '{"n":9007199254740993}',
      '{"n":123456789012345678901234567890}',
      '[-9223372036854775808,18446744073709551615]',
      '{"f":0.1000000000000000055511151231257827}',
      '{"big":1e400,"tiny":1e-400}',
      '12345678901234567890',
    ]) {
      assert.equal(stringifyJson(parsed(text)), text);
    }
    const value = parsed('{"n":9007199254740993}') as { n: unknown };
    assert.ok(isExactNumber(value.n));
    assert.equal(String(value.n), '9007199254740993');
  });

  test('numbers a double carries exactly stay plain numbers, also on the lossless path', () => {
    // The long id forces the lossless parser; the other numbers must come out as JSON.parse gives them.
    const value = parsed('{"id":12345678901234567890,"a":1,"b":-2.5,"c":1e3,"d":0.1,"e":1.0,"f":-0}') as Record<
      string,
      unknown
    >;
    assert.ok(isExactNumber(value.id));
    assert.deepEqual({ ...value, id: 0 }, { id: 0, a: 1, b: -2.5, c: 1000, d: 0.1, e: 1, f: -0 });
  });

  test('texts with no such number give exactly what JSON.parse gives', () => {
    for (const text of ['{"message":"hello"}', '[1,2.5,-3,"e5",true,null]', '"x"', '{"s":"1e5 12345678901234567"}']) {
      assert.deepEqual(parsed(text), JSON.parse(text));
    }
  });

  test('a string that looks like a long number stays a string', () => {
    assert.deepEqual(parsed('{"phone":"12345678901234567890","n":[1,"2e5"]}'), {
      phone: '12345678901234567890',
      n: [1, '2e5'],
    });
  });

  test('duplicate keys: the last wins, as with JSON.parse, on both paths', () => {
    assert.deepEqual(parsed('{"a":1,"a":2}'), { a: 2 });
    const value = parsed('{"a":1,"a":12345678901234567890}') as { a: unknown };
    assert.equal(String(value.a), '12345678901234567890');
  });

  test('__proto__ is an own key, never a prototype, on both paths', () => {
    for (const text of ['{"__proto__":{"polluted":true}}', '{"__proto__":{"polluted":12345678901234567890}}']) {
      const value = parsed(text) as Record<string, unknown>;
      assert.ok(Object.hasOwn(value, '__proto__'));
      assert.equal(Object.getPrototypeOf(value), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    }
  });

  test('invalid JSON is a problem sentence, never a throw', () => {
    for (const text of ['{', '{"a":}', '', 'NaN', '{"n":1e400', '[1,]']) {
      const result = parseJson(text);
      assert.equal(result.ok, false, text);
      assert.match(result.ok ? '' : result.problem, /^not valid JSON: /);
    }
  });

  test('nesting up to the bound is read; one level more is refused, naming the bound', () => {
    assert.equal(parseJson(deepList(DEFAULT_MAX_DEPTH)).ok, true);
    assert.deepEqual(parseJson(deepList(DEFAULT_MAX_DEPTH + 1)), {
      ok: false,
      problem: `nested deeper than ${DEFAULT_MAX_DEPTH} levels`,
    });
    assert.equal(parseJson(deepObject(5), { maxDepth: 5 }).ok, true);
    assert.equal(parseJson(deepObject(6), { maxDepth: 5 }).ok, false);
  });

  test('100,000 levels (and 1,000,000) are refused quickly, not a stack overflow', () => {
    for (const levels of [100_000, 1_000_000]) {
      const started = performance.now();
      const result = parseJson(deepObject(levels));
      assert.equal(result.ok, false);
      assert.ok(performance.now() - started < 1000);
    }
  });

  test('brackets inside strings do not count as nesting, escaped quotes included', () => {
    const text = JSON.stringify({ s: `\\"${'['.repeat(5000)}`, t: '\\\\', u: '{'.repeat(5000) });
    assert.equal(parseJson(text).ok, true);
  });
  test('the quick look and the walk agree: depth refused exactly past the bound, every number exact', () => {
    // Generated texts around a small bound, with what fools a quick look: digit runs, exponents
    // and brackets inside strings, numbers of every length, long texts with few or many brackets.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const strings = ['4e2a-9f', '[[[[[[[[', '{{{{{{', '1234567890123456789', '1E5', 'x'.repeat(40)];
    const numbers = ['7', '-2.5', '123456789012345', '1234567890123456', '0.1000000000000000055', '1e5', '2E-3', '9.5'];
    const texts: [text: string, depth: number][] = [];
    const value = (depth: number): [string, number] => {
      const kind = depth >= 6 ? next(2) : next(4);
      if (kind === 0) return [numbers[next(numbers.length)] as string, 0];
      if (kind === 1) return [JSON.stringify(strings[next(strings.length)]), 0];
      const members: string[] = [];
      let deepest = 0;
      for (let i = 0, count = 1 + next(3); i < count; i++) {
        const [text, inner] = value(depth + 1);
        deepest = Math.max(deepest, inner);
        members.push(kind === 2 ? text : `"k${i}":${text}`);
      }
      return [kind === 2 ? `[${members.join(',')}]` : `{${members.join(',')}}`, deepest + 1];
    };
    for (let i = 0; i < 3000; i++) {
      const [text, depth] = value(0);
      texts.push([text, depth]);
      // The same inside a long list, so that the text is longer than the bound.
      texts.push([`[${text},${JSON.stringify('y'.repeat(20))},0]`, depth + 1]);
    }
    for (const [text, depth] of texts) {
      const result = parseJson(text, { maxDepth: 4 });
      assert.equal(result.ok, depth <= 4, text);
      if (result.ok)
        assert.equal(
          stringifyJson(result.value),
          text.replace(/(?<![\w".])(1e5|2E-3)/g, (n) => JSON.stringify(Number(n))),
          text,
        );
    }
  });

  test('strings of every length, escapes at any place, end where they end: a number after one stays exact', () => {
    const big = '123456789012345678901234567890';
    for (let length = 0; length < 80; length++) {
      for (const tail of ['', '\\\\', '\\"', '\\\\\\"', '[{', '\\\\\\\\']) {
        const inner = 'a'.repeat(length) + tail;
        const text = `{"s":"${inner}","big":${big},"t":"${tail}${'b'.repeat(length)}"}`;
        const parsed = parseJson(text);
        assert.ok(parsed.ok, text);
        const value = parsed.value as Record<string, unknown>;
        assert.equal(value.s, JSON.parse(`"${inner}"`), text);
        assert.ok(isExactNumber(value.big), text);
        assert.equal(stringifyJson(value), text);
      }
    }
  });
});

describe('stringifyJson', () => {
  test('writes what JSON.stringify writes for values without exact numbers', () => {
    const value = {
      a: [1, 'two', null, undefined, () => 1, { b: true }],
      c: undefined,
      d: new Date(0),
      e: { toJSON: () => ({ f: 1 }) },
      g: '\u2028\ud800',
      h: [],
      i: {},
    };
    assert.equal(stringifyJson(value), JSON.stringify(value));
    assert.equal(stringifyJson(value, { indent: 2 }), JSON.stringify(value, null, 2));
  });

  test('the exact writer matches JSON.stringify byte for byte apart from the exact numbers', () => {
    const value = {
      id: new ExactNumber('12345678901234567890'),
      a: [1, 'two', null, undefined, () => 1, { b: true }, [], {}],
      c: undefined,
      d: new Date(0),
      e: { toJSON: (key: string) => ({ key }) },
      g: '\u2028\ud800"\\',
      boxed: [new Number(2), new String('s'), new Boolean(false)],
      '': 'empty key',
    };
    const expected = (indent?: number) =>
      JSON.stringify({ ...value, id: 0 }, null, indent)
        .replace('"id":0', '"id":12345678901234567890')
        .replace('"id": 0', '"id": 12345678901234567890');
    assert.equal(stringifyJson(value), expected());
    assert.equal(stringifyJson(value, { indent: 2 }), expected(2));
  });

  test('bigints are written as their digits', () => {
    assert.equal(stringifyJson({ n: 2n ** 70n }), '{"n":1180591620717411303424}');
    assert.equal(stringifyJson([1n]), '[1]');
  });

  test('NaN and Infinity are refused, naming where they are', () => {
    const cases: [unknown, string | undefined, string][] = [
      [{ x: Number.NaN }, 'data', 'data.x'],
      [{ items: [{ qty: 1 }, { qty: Number.POSITIVE_INFINITY }] }, 'data', 'data.items[1].qty'],
      [{ 'a b': [Number.NEGATIVE_INFINITY] }, undefined, '["a b"][0]'],
      [Number.NaN, 'data', 'data'],
      [{ big: new ExactNumber('1'), x: Number.NaN }, undefined, 'x'],
    ];
    for (const [value, name, path] of cases) {
      assert.throws(
        () => stringifyJson(value, name === undefined ? {} : { name }),
        (error: unknown) =>
          error instanceof JsonError && error.path === path && error.message.startsWith(`${path} is `),
        path,
      );
    }
  });

  test('nesting deeper than the bound is refused, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    assert.throws(
      () => stringifyJson(deep, { name: 'data' }),
      /^JsonError: data cannot be written as JSON: it is nested deeper than 2000 levels$/,
    );
    assert.throws(() => stringifyJson([[[1]]], { maxDepth: 2 }), /nested deeper than 2 levels/);
    assert.equal(stringifyJson([[[1]]], { maxDepth: 3 }), '[[[1]]]');
  });

  test('a cycle is refused as a cycle', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    assert.throws(() => stringifyJson(cycle), /the value cannot be written as JSON: it refers to itself \(a cycle\)/);
  });

  test('a value JSON has no text for (undefined, a function) is refused', () => {
    assert.throws(() => stringifyJson(undefined), JsonError);
  });
});

test('toPathText names keys with dots where they read well, and quotes the others', () => {
  assert.equal(toPathText('data', ['items', 2, 'qty']), 'data.items[2].qty');
  assert.equal(toPathText('headers', ['X-Api-Key']), 'headers.X-Api-Key');
  assert.equal(toPathText('headers', ['a b', 'c.d']), 'headers["a b"]["c.d"]');
  assert.equal(toPathText(undefined, ['x', 0]), 'x[0]');
  assert.equal(toPathText(undefined, []), 'the value');
});

test('isJsonObject is true for objects, false for lists, null and exact numbers', () => {
  assert.equal(isJsonObject({}), true);
  assert.equal(isJsonObject([]), false);
  assert.equal(isJsonObject(null), false);
  assert.equal(isJsonObject(new ExactNumber('1')), false);
});

test('isPlainObject, which commands use to narrow, does not take an exact number for an object', async () => {
  const { isPlainObject } = await import('@connector-proxy/core');
  assert.equal(isPlainObject(new ExactNumber('12345678901234567890')), false);
  assert.equal(isPlainObject({}), true);
});
