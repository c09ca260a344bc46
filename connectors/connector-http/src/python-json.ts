/**
 * Serializes a JSON value the way Python's `json.dumps` does with its defaults (what `requests`
 * sends for `json=`): `", "` and `": "` separators and non-ASCII characters escaped as `\uXXXX`,
 * so an upstream service receives the same bytes from us as from the Python connector.
 */
export function toPythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not JSON compliant`);
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value).map(([key, member]) => `${quote(key)}: ${toPythonJson(member)}`);
    return `{${members.join(', ')}}`;
  }
  throw new TypeError(`a ${typeof value} is not JSON serializable`);
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
