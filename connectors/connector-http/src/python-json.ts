/**
 * Serializes a JSON value the way Python's `json.dumps` does with its defaults (what `requests`
 * sends for `json=`): `", "` and `": "` separators, non-ASCII characters escaped as `\uXXXX` and
 * floats written as Python writes them, so an upstream service receives the same bytes from us as
 * from the Python connector. Only what parsing the request already lost differs: a float with an
 * integral value (`1.0`) is written `1`, and an integer beyond 2^53 comes out rounded.
 */
export function toPythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not JSON compliant`);
    return toPythonNumber(value);
  }
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value).map(([key, member]) => `${quote(key)}: ${toPythonJson(member)}`);
    return `{${members.join(', ')}}`;
  }
  throw new TypeError(`a ${typeof value} is not JSON serializable`);
}

/**
 * A number as Python's `repr` writes it. A JavaScript number can no longer tell `1.0` from `1`,
 * so integral values are written as integers; the rest follow Python's float repr.
 */
function toPythonNumber(value: number): string {
  // Only Python's float -0.0 reaches us as -0: a Python int is never negative zero.
  if (Object.is(value, -0)) return '-0.0';
  // Python's repr uses an exponent below 1e-4 (JavaScript's only below 1e-6), with two digits at least.
  if (value !== 0 && Math.abs(value) < 1e-4) return value.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(value);
}

/**
 * Reads a JSON answer as Python's `json.loads` does: also accepts the NaN, Infinity and -Infinity
 * literals, which become null (the only JSON value the envelope can carry for them, as for
 * 1e400). The tolerant pass runs only when strict parsing fails, and its error is the strict one.
 */
export function readPythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    const replaced = text.replace(STRING_OR_NON_FINITE, (token) => (token.startsWith('"') ? token : 'null'));
    try {
      return JSON.parse(replaced);
    } catch {
      throw error;
    }
  }
}

// A whole string literal (kept as it is) or one of the literals Python's json adds.
const STRING_OR_NON_FINITE = /"(?:[^"\\]|\\.)*"|-Infinity|Infinity|NaN/g;

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
