/**
 * JSON in and out without losing a number and without overflowing the stack: the one way data
 * that passes through the proxy is parsed and written. Numbers a double cannot carry exactly
 * (big integers, long decimals, 1e400) are kept as exact numbers holding their text; texts with
 * none go through the native JSON.parse, so the common case costs what it always did.
 */
import { isLosslessNumber, isSafeNumber, LosslessNumber, parse as parseLossless } from 'lossless-json';

/** A JSON number kept as its exact text (lossless-json's LosslessNumber): `value` is the text. */
export { LosslessNumber as ExactNumber };

/** True for a number kept as its exact text because a double cannot carry it. */
export function isExactNumber(value: unknown): value is LosslessNumber {
  return isLosslessNumber(value);
}

/** True for a JSON object (not null, not a list, not an exact number). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value);
}

/** How deep request JSON may nest; deeper texts are refused before anything recursive sees them. */
export const DEFAULT_MAX_DEPTH = 1000;

/**
 * How deep written JSON may nest by default: twice the reading bound, because an envelope wraps a
 * body that may wrap the data it was given; still well within what the native writer's stack holds.
 */
export const DEFAULT_MAX_WRITE_DEPTH = 2 * DEFAULT_MAX_DEPTH;

/** The outcome of {@link parseJson}: the value, or a sentence ending "the text is …" (`problem`). */
export type ParsedJson = { ok: true; value: unknown } | { ok: false; problem: string };

/** Options of {@link parseJson}. */
export interface ParseJsonOptions {
  /** Texts nested deeper than this are refused (default {@link DEFAULT_MAX_DEPTH}). */
  maxDepth?: number;
}

const LOSSLESS_OPTIONS = {
  parseNumber: (text: string): unknown => (isSafeNumber(text) ? Number(text) : new LosslessNumber(text)),
  // As JSON.parse (and Python's json): the last of duplicate keys wins.
  onDuplicateKey: (info: { newValue: unknown }): unknown => info.newValue,
};

/**
 * Parses JSON text; never throws. `problem` completes "the text is …": `not valid JSON: …` or
 * `nested deeper than 1000 levels`. Like JSON.parse, `__proto__` becomes an own key.
 */
export function parseJson(text: string, options: ParseJsonOptions = {}): ParsedJson {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const scanned = scan(text, maxDepth);
  if (scanned === TOO_DEEP) return { ok: false, problem: `nested deeper than ${maxDepth} levels` };
  try {
    const value = scanned === MAY_LOSE_PRECISION ? parseLossless(text, null, LOSSLESS_OPTIONS) : JSON.parse(text);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, problem: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const PLAIN = 0;
const MAY_LOSE_PRECISION = 1;
const TOO_DEEP = 2;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Where a number may lose precision: 16 digits or dots in a row, or a digit before an exponent.
 * Strings are not skipped, so a match only means "look closer"; no match means no such number.
 */
const MAYBE_INEXACT = /[0-9.]{16}|[0-9][eE]/;

/**
 * TOO_DEEP when brackets nest past the bound; MAY_LOSE_PRECISION for a number with 16 digits or
 * more, or with an exponent (any other JSON number has at most 15 digits, which a double always
 * carries exactly); else PLAIN. Most texts are settled by a regular expression and, when longer
 * than the bound, a count of their brackets (both native searches, several times cheaper than a
 * walk in JavaScript); the rest are walked character by character.
 */
function scan(text: string, maxDepth: number): number {
  if (!MAYBE_INEXACT.test(text) && !mayNestDeeper(text, maxDepth)) return PLAIN;
  return walkText(text, maxDepth);
}

/** False when the text has too few brackets to nest past the bound (strings included). */
function mayNestDeeper(text: string, maxDepth: number): boolean {
  if (text.length <= maxDepth) return false;
  let opened = 0;
  for (let at = text.indexOf('{'); at >= 0; at = text.indexOf('{', at + 1)) if (++opened > maxDepth) return true;
  for (let at = text.indexOf('['); at >= 0; at = text.indexOf('[', at + 1)) if (++opened > maxDepth) return true;
  return false;
}

/** One pass over the text, strings skipped, with no recursion: what {@link scan} says, exactly. */
function walkText(text: string, maxDepth: number): number {
  let result = PLAIN;
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = endOfString(text, i);
      if (i < 0) break;
    } else if (code >= DIGIT_0 && code <= DIGIT_9) {
      let digits = 1;
      let j = i + 1;
      for (; j < length; j++) {
        const next = text.charCodeAt(j);
        if (next >= DIGIT_0 && next <= DIGIT_9) digits += 1;
        else if (next !== DOT) break;
      }
      const after = text.charCodeAt(j);
      if (digits > 15 || after === LOWER_E || after === UPPER_E) result = MAY_LOSE_PRECISION;
      i = j - 1;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth += 1;
      if (depth > maxDepth) return TOO_DEEP;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth -= 1;
    }
  }
  return result;
}

/** Strings up to this long are walked here; longer ones are searched with indexOf. */
const SHORT_STRING = 32;

/** The index of the quote closing the string opened at `start`, or -1 when it is never closed. */
function endOfString(text: string, start: number): number {
  // Most strings are keys and short values: a walk costs less than a call to indexOf for each.
  const shortEnd = Math.min(text.length, start + 1 + SHORT_STRING);
  for (let i = start + 1; i < shortEnd; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) return i;
    if (code === BACKSLASH) i += 1;
  }
  let from = shortEnd;
  // A backslash at the end of the walk escapes the first character after it.
  if (from > start + 1 && isEscaped(text, from, start)) from += 1;
  let end = text.indexOf('"', from);
  while (end > 0) {
    if (!isEscaped(text, end, start)) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
}

/** True when the character at `at` follows an odd run of backslashes (inside the string opened at `start`). */
function isEscaped(text: string, at: number, start: number): boolean {
  let backslashes = 0;
  while (at - 1 - backslashes > start && text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes += 1;
  return backslashes % 2 === 1;
}

/** A value JSON cannot carry: a number that is not finite, nesting beyond the bound, a cycle. */
export class JsonError extends Error {
  override readonly name = 'JsonError';
  /** Where in the value, e.g. `data.items[2].qty` (the root's name when the whole value is at fault). */
  readonly path: string;

  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}

/** Options of {@link stringifyJson}. */
export interface StringifyJsonOptions {
  /** Values nested deeper than this are refused (default {@link DEFAULT_MAX_WRITE_DEPTH}). */
  maxDepth?: number;
  /** Spaces per level, as JSON.stringify's third argument; none by default. */
  indent?: number;
  /** What the value is called in messages (`data` gives `data.x is NaN …`). */
  name?: string;
}

/**
 * Writes a value as JSON text: exact numbers (and bigints) as their digits, everything else as
 * JSON.stringify does. Throws {@link JsonError} for NaN or Infinity (naming where), for nesting
 * deeper than the bound and for cycles; never overflows the stack.
 */
export function stringifyJson(value: unknown, options: StringifyJsonOptions = {}): string {
  const settings: WalkSettings = {
    maxDepth: options.maxDepth ?? DEFAULT_MAX_WRITE_DEPTH,
    unit: options.indent !== undefined && options.indent > 0 ? ' '.repeat(Math.min(10, options.indent)) : '',
    name: options.name,
  };
  const checked = check(value, settings.maxDepth);
  if (checked === PLAIN) {
    const text = JSON.stringify(value, null, settings.unit);
    if (text !== undefined) return text;
    throw new JsonError(`${rootName(settings.name)} cannot be written as JSON: it is ${typeof value}`, '');
  }
  // Exact numbers need our writer; a refused value is walked again to say where and why.
  const out: string[] = [];
  walk(value, settings, out);
  return out.join('');
}

const REFUSED = 2;
const CONTAINER = 3;

/**
 * The cheap first look before JSON.stringify: PLAIN when it would write the value faithfully and
 * within the stack, MAY_LOSE_PRECISION when the value holds an exact number or a bigint, REFUSED
 * for NaN, Infinity or nesting past the bound. Its own stack, no paths.
 */
function check(root: unknown, maxDepth: number): number {
  let result = PLAIN;
  const first = resolve(root, '');
  const look = lookAt(first);
  if (look !== CONTAINER) return look;
  const containers: object[] = [first as object];
  const depths: number[] = [1];
  while (containers.length > 0) {
    const container = containers.pop() as Record<string, unknown>;
    const depth = depths.pop() as number;
    if (depth > maxDepth) return REFUSED;
    const keys = Array.isArray(container) ? undefined : Object.keys(container);
    const length = keys === undefined ? (container as unknown as unknown[]).length : keys.length;
    for (let i = 0; i < length; i++) {
      const key = keys === undefined ? i : (keys[i] as string);
      let member = container[key];
      if (typeof member === 'object' && member !== null) member = resolve(member, key);
      const seen = lookAt(member);
      if (seen === CONTAINER) {
        containers.push(member as object);
        depths.push(depth + 1);
      } else if (seen === REFUSED) {
        return REFUSED;
      } else if (seen === MAY_LOSE_PRECISION) {
        result = MAY_LOSE_PRECISION;
      }
    }
  }
  return result;
}

function lookAt(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? PLAIN : REFUSED;
  if (typeof value === 'bigint') return MAY_LOSE_PRECISION;
  if (typeof value !== 'object' || value === null) return PLAIN;
  return isLosslessNumber(value) ? MAY_LOSE_PRECISION : CONTAINER;
}

/**
 * Where a value sits, for messages: `data.items[2].qty`, `headers["a b"]`. Keys that read well
 * after a dot (letters, digits, `_`, `$`, `-`) get one; others are quoted in brackets.
 */
export function toPathText(root: string | undefined, segments: readonly (string | number)[]): string {
  let text = root ?? '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text === '' ? 'the value' : text;
}

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

function rootName(name: string | undefined): string {
  return name ?? 'the value';
}

interface WalkSettings {
  maxDepth: number;
  /** One level of indentation; '' for compact output. */
  unit: string;
  name: string | undefined;
}

/** One open object or list during the walk; the parent links give the path for a message. */
interface Frame {
  node: object;
  keys: string[] | undefined;
  length: number;
  index: number;
  wrote: boolean;
  indent: string;
  parent: Frame | undefined;
  key: string | number;
  depth: number;
}

/**
 * Walks a value depth first with its own stack, checking what JSON cannot carry, and writes it
 * to `out` when given. Returns true when the value holds an exact number or a bigint.
 */
function walk(value: unknown, settings: WalkSettings, out: string[] | undefined): boolean {
  let exact = false;
  const stack: Frame[] = [];
  const { unit } = settings;

  /** Writes one resolved value (or opens its frame); false when it is left out (undefined, a function). */
  const visit = (value: unknown, parent: Frame | undefined, key: string | number): boolean => {
    switch (typeof value) {
      case 'string':
        out?.push(JSON.stringify(value));
        return true;
      case 'number':
        if (!Number.isFinite(value)) {
          const path = pathOf(settings.name, parent, key);
          throw new JsonError(`${path} is ${value}, a number JSON cannot carry`, path);
        }
        out?.push(String(value));
        return true;
      case 'boolean':
        out?.push(value ? 'true' : 'false');
        return true;
      case 'bigint':
        exact = true;
        out?.push(value.toString());
        return true;
      case 'object': {
        if (value === null) {
          out?.push('null');
          return true;
        }
        if (isLosslessNumber(value)) {
          exact = true;
          out?.push(value.value);
          return true;
        }
        const depth = (parent?.depth ?? 0) + 1;
        if (depth > settings.maxDepth) {
          const name = rootName(settings.name);
          const problem = holdsCycle(value, parent)
            ? 'refers to itself (a cycle)'
            : `is nested deeper than ${settings.maxDepth} levels`;
          throw new JsonError(`${name} cannot be written as JSON: it ${problem}`, settings.name ?? '');
        }
        const keys = Array.isArray(value) ? undefined : Object.keys(value);
        const length = keys === undefined ? (value as unknown[]).length : keys.length;
        const indent = parent === undefined ? '' : parent.indent + unit;
        stack.push({ node: value, keys, length, index: 0, wrote: false, indent, parent, key, depth });
        out?.push(keys === undefined ? '[' : '{');
        return true;
      }
      default:
        return false;
    }
  };

  visit(resolve(value, ''), undefined, '');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    if (frame.index >= frame.length) {
      stack.pop();
      if (out) {
        if (frame.wrote && unit !== '') out.push(`\n${frame.indent}`);
        out.push(frame.keys === undefined ? ']' : '}');
      }
      continue;
    }
    const index = frame.index++;
    const separator = out && (frame.wrote ? ',' : '') + (unit === '' ? '' : `\n${frame.indent}${unit}`);
    if (frame.keys === undefined) {
      if (separator) out?.push(separator);
      frame.wrote = true;
      // A list keeps its length: what JSON has no value for becomes null, as JSON.stringify does.
      if (!visit(resolve((frame.node as unknown[])[index], index), frame, index)) out?.push('null');
      continue;
    }
    const key = frame.keys[index] as string;
    const member = resolve((frame.node as Record<string, unknown>)[key], key);
    if (isLeftOut(member)) continue;
    if (out) out.push(`${separator}${JSON.stringify(key)}${unit === '' ? ':' : ': '}`);
    frame.wrote = true;
    visit(member, frame, key);
  }
  return exact;
}

/** What JSON.stringify writes in a value's place: its toJSON(), or the primitive inside a box. */
function resolve(value: unknown, key: string | number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toJSON.call(value, String(key));
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return value.valueOf();
  return value;
}

/** What JSON.stringify leaves out of an object (and envelopeText with it). */
export function isLeftOut(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function pathOf(root: string | undefined, parent: Frame | undefined, key: string | number): string {
  const segments: (string | number)[] = [];
  if (parent !== undefined) segments.push(key);
  for (let frame = parent; frame?.parent !== undefined; frame = frame.parent) segments.push(frame.key);
  return toPathText(root, segments.reverse());
}

function holdsCycle(value: object, parent: Frame | undefined): boolean {
  for (let frame = parent; frame !== undefined; frame = frame.parent) if (frame.node === value) return true;
  return false;
}
