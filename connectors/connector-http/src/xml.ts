import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A JSON value as xmltodict builds it: element values are text, null, objects or lists of them. */
export type XmlJson = string | null | XmlJsonObject | XmlJson[];
/** An element with attributes or children, or the document itself. */
export interface XmlJsonObject {
  [key: string]: XmlJson;
}

const TEXT = '#text';
const CDATA = '#cdata';
const ATTRIBUTES = ':@';
const ELEMENT = '@';

// Entities are left alone by the parser and decoded here, so that CDATA stays verbatim and an
// undefined entity is an error, as it is for expat.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: TEXT,
  cdataPropName: CDATA,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Marks element names so none is a reserved JavaScript name (`constructor`) the parser refuses.
  // Idempotent because the parser applies it twice to self-closing tags; no XML name starts with "@".
  transformTagName: (name) => (name.startsWith(ELEMENT) ? name : `${ELEMENT}${name}`),
});

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// Python's str.strip() whitespace, which is wider than JavaScript's trim() in places (U+0085, U+001C-1F).
const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g');

/**
 * Turns an XML document into the JSON Python's `xmltodict.parse` makes of it (default options):
 * attributes as `@name`, text beside attributes or children as `#text` (all text chunks of an
 * element joined, then stripped), repeated elements as lists, empty elements as null, prefixed
 * names kept as they are, comments and processing instructions dropped.
 * Throws a SyntaxError when the document is not well-formed.
 */
export function toJsonFromXml(xml: string): XmlJsonObject {
  const text = xml.replace(/\r\n?/g, '\n');
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    throw new SyntaxError(col === undefined ? `${msg} (line ${line})` : `${msg} (line ${line}, column ${col})`);
  }
  // The validator accepts text after the root element and several root elements; expat does not.
  if (!/>\s*$/.test(text)) throw new SyntaxError('junk after document element');
  const roots = readNodes(parseOrThrow(text)).filter((node) => node.kind === 'element');
  const [root] = roots;
  if (root === undefined) throw new SyntaxError('no element found');
  if (roots.length > 1) throw new SyntaxError('junk after document element');
  const entities = { dropUnknown: /<!DOCTYPE/i.test(text) };
  const document: XmlJsonObject = {};
  push(document, root.name, toValue(root, entities));
  return document;
}

interface EntityPolicy {
  /** xmltodict disables DTD entities: declared ones vanish; without a DTD an unknown one is an error. */
  dropUnknown: boolean;
}

type XmlNode =
  | { kind: 'text'; raw: string }
  | { kind: 'cdata'; text: string }
  | { kind: 'element'; name: string; attributes: [string, string][]; children: unknown };

function parseOrThrow(text: string): unknown {
  try {
    return parser.parse(text);
  } catch (error) {
    throw new SyntaxError(error instanceof Error ? error.message : String(error));
  }
}

/** Reads fast-xml-parser's ordered output (`[{ name: [...children], ':@': {attrs} }, { '#text': 'x' }]`). */
function readNodes(value: unknown): XmlNode[] {
  if (!Array.isArray(value)) return [];
  const nodes: XmlNode[] = [];
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) continue;
    for (const [key, child] of Object.entries(entry)) {
      if (key === ATTRIBUTES) continue;
      if (key === TEXT) nodes.push({ kind: 'text', raw: String(child) });
      else if (key === CDATA) nodes.push({ kind: 'cdata', text: readCdata(child) });
      else if (key.startsWith(ELEMENT)) {
        nodes.push({
          kind: 'element',
          name: key.slice(ELEMENT.length),
          attributes: readAttributes(entry),
          children: child,
        });
      }
    }
  }
  return nodes;
}

function readCdata(value: unknown): string {
  return readNodes(value)
    .map((node) => (node.kind === 'text' ? node.raw : ''))
    .join('');
}

function readAttributes(entry: object): [string, string][] {
  const attributes = ATTRIBUTES in entry ? entry[ATTRIBUTES] : undefined;
  if (typeof attributes !== 'object' || attributes === null) return [];
  return Object.entries(attributes).map(([name, value]) => [name, String(value)]);
}

function toValue(element: Extract<XmlNode, { kind: 'element' }>, entities: EntityPolicy): XmlJson {
  const item: XmlJsonObject = {};
  let hasItem = false;
  for (const [name, raw] of element.attributes) {
    push(item, name, decodeAttribute(raw, entities));
    hasItem = true;
  }
  let text = '';
  for (const node of readNodes(element.children)) {
    if (node.kind === 'text') text += decodeEntities(node.raw, entities);
    else if (node.kind === 'cdata') text += node.text;
    else {
      push(item, node.name, toValue(node, entities));
      hasItem = true;
    }
  }
  const data = text.replace(PY_STRIP, '') || null;
  if (!hasItem) return data;
  if (data !== null) push(item, TEXT, data);
  return item;
}

/** Adds a value under a key; a second value with the same key turns it into a list (xmltodict's push_data). */
function push(item: XmlJsonObject, key: string, value: XmlJson): void {
  if (Object.hasOwn(item, key)) {
    const existing = item[key];
    if (Array.isArray(existing)) existing.push(value);
    else define(item, key, [existing ?? null, value]);
  } else {
    define(item, key, value);
  }
}

/** Sets an own property even for names such as `__proto__`, which plain assignment would not. */
function define(item: XmlJsonObject, key: string, value: XmlJson): void {
  Object.defineProperty(item, key, { value, enumerable: true, writable: true, configurable: true });
}

function decodeAttribute(raw: string, entities: EntityPolicy): string {
  if (raw.includes('<')) throw new SyntaxError('not well-formed (invalid token): "<" in an attribute value');
  // XML attribute-value normalization: literal tabs and newlines become spaces; &#10; stays a newline.
  return decodeEntities(raw.replace(/[\t\n]/g, ' '), entities);
}

function decodeEntities(raw: string, entities: EntityPolicy): string {
  return raw.replace(/&([^&;\s<]*)(;?)/g, (_match, name: string, semicolon: string) => {
    if (semicolon === '' || name === '') throw new SyntaxError('not well-formed (invalid token): a bare "&"');
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    if (name.startsWith('#')) return toCharacter(name);
    if (entities.dropUnknown) return '';
    throw new SyntaxError(`undefined entity &${name};`);
  });
}

function toCharacter(reference: string): string {
  const hex = /^#x([0-9a-fA-F]+)$/.exec(reference);
  const decimal = /^#([0-9]+)$/.exec(reference);
  const code = hex?.[1] !== undefined ? Number.parseInt(hex[1], 16) : Number(decimal?.[1] ?? Number.NaN);
  if (!isXmlCharacter(code)) throw new SyntaxError(`reference to invalid character number &${reference};`);
  return String.fromCodePoint(code);
}

function isXmlCharacter(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
