import type { AttributeValue, DescribeTableCommandOutput } from '@aws-sdk/client-dynamodb';
import type { CommandContext } from '@connector-proxy/core';
import { invalid, isBase64 } from './checks.js';
import { toAwsFailure } from './errors.js';
import type { Aws } from './sdk.js';

/** The key attributes of a table: names and DynamoDB types (S, N or B). */
export interface KeySchema {
  partition: { name: string; type: string };
  sort: { name: string; type: string } | undefined;
}

/** Reads a table's key schema (DescribeTable), as boto's `table.key_schema` does for Python's query. */
export async function readKeySchema(aws: Aws, table: string, context: CommandContext): Promise<KeySchema> {
  let described: DescribeTableCommandOutput;
  try {
    described = await aws.describeTable(table, context.signal);
  } catch (error) {
    throw toAwsFailure(error, 'DescribeTable', context.signal);
  }
  const keys = described.Table?.KeySchema ?? [];
  const types = new Map((described.Table?.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  const find = (keyType: string) => {
    const name = keys.find((key) => key.KeyType === keyType)?.AttributeName;
    return name === undefined ? undefined : { name, type: String(types.get(name) ?? 'S') };
  };
  const partition = find('HASH');
  if (!partition) throw new Error(`DescribeTable gave table ${table} no partition key`);
  return { partition, sort: find('RANGE') };
}

const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * A key value given as text, in the type of the key attribute: a number key gets the number the
 * text spells (Python's diagrams passed `1982`, which our `str` parameter receives as "1982"), a
 * binary key the bytes of its base64. A mismatch is `InvalidParameters`, before any query.
 */
export function toKeyValue(text: string, key: { name: string; type: string }, param: string): AttributeValue {
  if (key.type === 'N') {
    if (!NUMBER_TEXT.test(text)) throw invalid(`${param} must be a number: the key ${key.name} is of type N`);
    return { N: text.trim() };
  }
  if (key.type === 'B') {
    const compact = text.replace(/\s+/g, '');
    if (!isBase64(compact)) {
      throw invalid(`${param} must be base64 text: the key ${key.name} is of type B`);
    }
    return { B: new Uint8Array(Buffer.from(compact, 'base64')) };
  }
  return { S: text };
}
