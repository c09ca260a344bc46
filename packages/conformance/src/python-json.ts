/** What Python's `json.loads` makes of a text: a value, or the reason it raises JSONDecodeError. */
export type Loaded = { ok: true; value: unknown; nonFinite: boolean } | { ok: false; problem: string };

/**
 * Parses text as Python's `json.loads` does: standard JSON, plus the bare tokens `NaN`, `Infinity`
 * and `-Infinity` that Python accepts (and its `json.dumps` writes). Those come back as null; only
 * the structure matters to the kit. A leading byte-order mark is refused, as Python refuses it.
 */
export function loadsLikePython(text: string): Loaded {
  try {
    return { ok: true, value: JSON.parse(text), nonFinite: false };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    const replaced = replaceNonFinite(text);
    if (replaced !== undefined) {
      try {
        return { ok: true, value: JSON.parse(replaced), nonFinite: true };
      } catch {
        // Not JSON with or without them: report the first reading's problem.
      }
    }
    return { ok: false, problem };
  }
}

const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'] as const;

/** The text with every NaN/Infinity token outside a string replaced by null, or undefined when there is none. */
function replaceNonFinite(text: string): string | undefined {
  let out = '';
  let changed = false;
  let i = 0;
  scan: while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    for (const token of NON_FINITE) {
      if (text.startsWith(token, i)) {
        out += 'null';
        i += token.length;
        changed = true;
        continue scan;
      }
    }
    out += text[i];
    i++;
  }
  return changed ? out : undefined;
}

/** Python's name for the type of a JSON value, for messages that quote Python's own errors. */
export function pythonType(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** True for a JSON object (Python's dict). */
export function isDict(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
