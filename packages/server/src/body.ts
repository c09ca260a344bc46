import { isPlainObject } from '@connector-proxy/core';

/** The parsed request body, or why it was refused. */
export type BodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; problem: string };

/**
 * Reads a `/v1/do` request body as a JSON object. An empty body is `{}`; for GET, query
 * parameters are added (body keys win), so a command can be tried from a browser. JSON.parse
 * makes `__proto__` an own key, never a prototype, so a body cannot reach Object.prototype.
 */
export async function readJsonBody(
  request: Request,
  queries: Record<string, string[]> | undefined,
): Promise<BodyResult> {
  const text = await request.text();
  let value: unknown = {};
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, problem: `the request body is not valid JSON: ${reason}` };
    }
  }
  if (!isPlainObject(value)) {
    return { ok: false, problem: `the request body must be a JSON object, got ${describeJson(value)}` };
  }
  if (queries) {
    for (const [key, values] of Object.entries(queries)) {
      if (!Object.hasOwn(value, key)) {
        Object.defineProperty(value, key, {
          value: values.length === 1 ? values[0] : values,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return { ok: true, value };
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}
