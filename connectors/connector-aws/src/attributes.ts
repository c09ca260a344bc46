/**
 * JSON to DynamoDB attribute values and back, written here rather than taken from lib-dynamodb:
 * its marshaller picks a value's kind from `value.constructor.name`, so an item with an attribute
 * named `constructor` (`{"constructor": "Ferrari"}`, or `{"constructor": {"name": "Map"}}`) is
 * refused or crashes it, and its numbers pass through doubles unless wrapped. Here every number
 * keeps its text both ways.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { isExactNumber, isPlainObject } from '@connector-proxy/core';
import { invalid } from './checks.js';

/** DynamoDB's own nesting bound; deeper documents are refused before anything is sent. */
const MAX_DEPTH = 32;

/** A DynamoDB number as it came: its text, which the answer writes as the JSON number it spells. */
export class NumberText {
  constructor(readonly text: string) {}
}

/** A JSON object as a DynamoDB item (or map), each member through {@link toAttributeValue}. */
export function toAttributeMap(
  value: Record<string, unknown>,
  path: string,
  depth = 0,
): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => {
      // The SDK's JSON writer cannot carry this name: it would set a prototype instead of a key.
      if (key === '__proto__')
        throw invalid(`${path} has an attribute named __proto__, which DynamoDB calls cannot carry`);
      return [key, toAttributeValue(member, `${path}.${key}`, depth)];
    }),
  );
}

/**
 * A JSON value from a diagram as a DynamoDB attribute value. Numbers become `N` with their text:
 * a float at any depth as JavaScript writes it, a number the proxy received exactly (core's
 * exact number, for what a double cannot carry) with every digit. An integer beyond 2^53 that arrived as a plain number was
 * already rounded, so it is refused rather than stored wrong.
 */
export function toAttributeValue(value: unknown, path: string, depth = 0): AttributeValue {
  if (depth > MAX_DEPTH) throw invalid(`${path} is nested deeper than DynamoDB's ${MAX_DEPTH} levels`);
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(`${path} must be a finite number`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw invalid(`${path} is an integer beyond 2^53 that was already rounded; send it as text`);
    }
    return { N: String(value) };
  }
  if (typeof value === 'bigint') return { N: value.toString() };
  if (isExactNumber(value)) return { N: value.value };
  if (Array.isArray(value))
    return { L: value.map((member, index) => toAttributeValue(member, `${path}[${index}]`, depth + 1)) };
  if (isPlainObject(value)) return { M: toAttributeMap(value, path, depth + 1) };
  throw invalid(`${path} is not a JSON value`);
}

/** A DynamoDB item (or map) as plain JSON values: see {@link fromAttributeValue}. */
export function fromAttributeMap(map: Record<string, AttributeValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([key, member]) => [key, fromAttributeValue(member)]));
}

/**
 * A DynamoDB attribute value as JSON: numbers as {@link NumberText}, binary as base64 text, and
 * sets (which JSON has not) as lists.
 */
export function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return new NumberText(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return fromAttributeMap(value.M);
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64');
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map((text) => new NumberText(text));
  if (value.BS !== undefined) return value.BS.map((bytes) => Buffer.from(bytes).toString('base64'));
  return null;
}
