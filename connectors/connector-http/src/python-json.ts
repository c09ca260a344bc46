import { DEFAULT_MAX_DEPTH, isExactNumber, JsonError, parseJson, toPathText } from '@connector-proxy/core';

/**
 * Serializes a JSON value the way Python's `json.dumps` does with its defaults (what `requests`
 * sends for `json=`): `", "` and `": "` separators, non-ASCII characters escaped as `\uXXXX` and
 * floats written as Python writes them, so an upstream service receives the same bytes from us as
 * from the Python connector. Exact numbers (integers beyond 2^53, long decimals) are written with
 * the digits they came with. Only what a double cannot tell apart differs: a float with an
 * integral value (`1.0`) is written `1`.
 *
 * As `requests` (`allow_nan=False`), a number out of a double's range (`1e400`, NaN, Infinity) is
 * refused, and so is nesting deeper than `maxDepth`: a {@link JsonError} naming where (`data.x`).
 */
export function toPythonJson(value: unknown, options: PythonJsonOptions = {}): string {
  const writer = {
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    name: options.name,
    path: [] as (string | number)[],
  };
  return write(value, writer, 0);
}

/** Options of {@link toPythonJson}. */
export interface PythonJsonOptions {
  /** What the value is called in messages, e.g. `data`. */
  name?: string;
  /** Deeper nesting is refused (default core's DEFAULT_MAX_DEPTH, as Python's recursion limit would). */
  maxDepth?: number;
}

interface Writer {
  maxDepth: number;
  name: string | undefined;
  /** The keys from the root to the value being written, for messages. */
  path: (string | number)[];
}

// Recursive, with the depth bounded well within the stack.
function write(value: unknown, writer: Writer, depth: number): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw outOfRange(String(value), writer);
    return toPythonNumber(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return quote(value);
  if (isExactNumber(value)) {
    // A float Python would read as inf: requests refuses it (its json.dumps has allow_nan=False).
    if (!Number.isFinite(Number(value.value))) throw outOfRange(value.value, writer);
    return value.value;
  }
  if (typeof value === 'object') {
    if (depth >= writer.maxDepth) {
      const name = toPathText(writer.name, []);
      throw new JsonError(`${name} is nested deeper than ${writer.maxDepth} levels`, writer.name ?? '');
    }
    // Concatenation, not map and join: no array of member texts per object (a body per POST).
    const { path } = writer;
    if (Array.isArray(value)) {
      let text = '[';
      for (let index = 0; index < value.length; index += 1) {
        path.push(index);
        text += `${index === 0 ? '' : ', '}${write(value[index], writer, depth + 1)}`;
        path.pop();
      }
      return `${text}]`;
    }
    let text = '{';
    let first = true;
    for (const key of Object.keys(value)) {
      path.push(key);
      text += `${first ? '' : ', '}${quote(key)}: ${write((value as Record<string, unknown>)[key], writer, depth + 1)}`;
      path.pop();
      first = false;
    }
    return `${text}}`;
  }
  throw new JsonError(
    `${toPathText(writer.name, writer.path)} is a ${typeof value}, which JSON cannot carry`,
    toPathText(writer.name, writer.path),
  );
}

function outOfRange(text: string, writer: Writer): JsonError {
  const path = toPathText(writer.name, writer.path);
  return new JsonError(`${path} is ${text}, out of the range of a JSON number (Python refuses it too)`, path);
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
 * Reads a JSON answer as Python's `json.loads` does, numbers exact: also accepts the NaN, Infinity
 * and -Infinity literals, which become null (the only JSON value the envelope can carry for
 * them). The tolerant pass runs only when strict parsing fails, and its error is the strict one.
 */
export function readPythonJson(text: string): unknown {
  const parsed = parseJson(text);
  if (parsed.ok) return parsed.value;
  const error = new SyntaxError(parsed.problem.replace(/^not valid JSON: /, ''));
  if (!/NaN|Infinity/.test(text)) throw error;
  const replaced = parseJson(text.replace(STRING_OR_NON_FINITE, (token) => (token.startsWith('"') ? token : 'null')));
  if (!replaced.ok) throw error;
  return replaced.value;
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

const NEEDS_ESCAPE = /[\\"]|[^ -~]/;

/** Python's ensure_ascii quoting: everything outside printable ASCII becomes `\uXXXX` (UTF-16 units). */
function quote(text: string): string {
  // Most keys and values are plain ASCII: one test, no replace.
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  const escaped = text.replace(
    /[\\"]|[^ -~]/g,
    (char) => SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}
