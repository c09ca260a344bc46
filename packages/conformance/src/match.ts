import { isDict } from './python-json.js';

/**
 * Compares a value with an expected one: objects match when every expected key matches (more
 * keys are allowed), arrays element by element with the same length, anything else by equality.
 * Returns where they first differ, or undefined when they match.
 */
export function mismatch(actual: unknown, expected: unknown, path = 'result'): string | undefined {
  if (isDict(expected)) {
    if (!isDict(actual)) return `${path}: expected an object, got ${show(actual)}`;
    for (const [key, value] of Object.entries(expected)) {
      if (!Object.hasOwn(actual, key)) return `${path}.${key}: missing`;
      const found = mismatch(actual[key], value, `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list, got ${show(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${actual.length}`;
    for (const [i, value] of expected.entries()) {
      const found = mismatch(actual[i], value, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
