import { NumberText } from './attributes.js';

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Serializes a DynamoDB answer as Python's `json.dumps`/`simplejson.dumps` write it (`", "` and
 * `": "`, non-ASCII as `\uXXXX`), with each number exactly as DynamoDB sent it.
 */
export function toPythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof NumberText) return JSON_NUMBER.test(value.text) ? value.text : quote(value.text);
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${quote(key)}: ${toPythonJson(member)}`);
    return `{${members.join(', ')}}`;
  }
  return quote(String(value));
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Python's ensure_ascii quoting: everything outside printable ASCII becomes `\uXXXX` (UTF-16 units). */
function quote(text: string): string {
  const escaped = text.replace(
    /[\\"]|[^ -~]/g,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}
