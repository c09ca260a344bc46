import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { toJsonFromXml } from '../src/xml.js';

interface Sample {
  xml: string;
  json: unknown;
}

const fixture: { samples: Record<string, Sample> } = JSON.parse(
  readFileSync(new URL('../../../fixtures/python-reference/xmltodict-samples.json', import.meta.url), 'utf8'),
);

test('the golden xmltodict samples are all present', () => {
  assert.ok(Object.keys(fixture.samples).length >= 20);
});

for (const [name, sample] of Object.entries(fixture.samples)) {
  test(`XML sample "${name}" becomes the JSON Python's xmltodict makes of it, keys in the same order`, () => {
    const json = toJsonFromXml(sample.xml);
    assert.deepEqual(json, sample.json);
    assert.equal(JSON.stringify(json), JSON.stringify(sample.json));
  });
}

test('element names that are JavaScript reserved words are kept as they are', () => {
  const json = toJsonFromXml('<r><constructor>1</constructor><toString/><prototype>2</prototype><prototype/></r>');
  assert.equal(JSON.stringify(json), '{"r":{"constructor":"1","toString":null,"prototype":["2",null]}}');
  assert.equal(Object.getPrototypeOf(json), Object.prototype);
});

test('a __proto__ element becomes an own key and never changes a prototype', () => {
  const json = toJsonFromXml('<__proto__><polluted>yes</polluted></__proto__>');
  assert.ok(Object.hasOwn(json, '__proto__'));
  assert.equal(Object.getPrototypeOf(json), Object.prototype);
  assert.equal(Reflect.get({}, 'polluted'), undefined);
});

test('CDATA is kept verbatim, entities around it are decoded, and the chunks are joined', () => {
  assert.deepEqual(toJsonFromXml('<a>x &amp; <![CDATA[&amp; <b>]]> y</a>'), { a: 'x & &amp; <b> y' });
});

test('numeric character references and attribute whitespace follow XML rules as expat applies them', () => {
  assert.deepEqual(toJsonFromXml('<a v="1&#10;2\t3">&#x1F600;&#169;</a>'), { a: { '@v': '1\n2 3', '#text': '😀©' } });
});

test('CRLF line ends are read as LF', () => {
  assert.deepEqual(toJsonFromXml('<a>\r\n<b>x\r\ny</b>\r\n</a>'), { a: { b: 'x\ny' } });
});

test('entities declared in a DOCTYPE are dropped, as xmltodict (entities disabled) drops them', () => {
  assert.deepEqual(toJsonFromXml('<!DOCTYPE r [<!ENTITY e "EXPANDED">]><r>a&e;b</r>'), { r: 'ab' });
});

test('text between elements is joined before stripping, so inner spaces stay', () => {
  assert.deepEqual(toJsonFromXml('<p>\n  one <i>x</i> two <i>y</i> three\n</p>'), {
    p: { i: ['x', 'y'], '#text': 'one  two  three' },
  });
});

const malformed: Record<string, string> = {
  'an unclosed element': '<a>',
  'mismatched tags': '<a><b></a></b>',
  'two root elements': '<a/><b/>',
  'text after the root element': '<a/>trailing',
  'plain text': 'just text',
  'an empty document': '',
  'an undefined entity': '<a>&nbsp;</a>',
  'a bare ampersand in text': '<a>fish & chips</a>',
  'a bare ampersand in an attribute': '<a b="x & y"/>',
  'a repeated attribute': '<a x="1" x="2"/>',
  'a reference to an invalid character': '<a>&#0;</a>',
  'HTML that is not XML': '<html><body><p>unclosed<br></body></html>',
};

for (const [what, xml] of Object.entries(malformed)) {
  test(`a document with ${what} is refused with a SyntaxError`, () => {
    assert.throws(() => toJsonFromXml(xml), SyntaxError);
  });
}
