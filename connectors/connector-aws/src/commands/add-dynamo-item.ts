import { type Coerced, defineCommand, isJsonObject, kindOf, param } from '@connector-proxy/core';
import { toAttributeMap } from '../attributes.js';
import { DYNAMO_ERRORS, toAwsFailure } from '../errors.js';
import { services } from '../services.js';

/** Python's `AddDynamoItem`: PutItem of one JSON object; numbers at any depth stay exact. */
export const AddDynamoItem = defineCommand({
  description: 'Put one item (a JSON object) into a DynamoDB table, replacing an item with the same key.',
  services,
  params: {
    table_name: param.str('The DynamoDB table'),
    // Not param.record(shape.any()): a record shape treats a null member as missing, and null is a value here.
    item_data: param
      .any('The item: an object of attribute names to values, its key attributes included')
      .refine(toItem)
      .withSchema({ type: 'object' }),
  },
  idempotent: true,
  result: {
    description: 'HTTP 200 with the PutItem answer as the body (version 1, as Python): {} in practice.',
    schema: { type: 'object' },
  },
  errors: DYNAMO_ERRORS,
  async run({ table_name, item_data }, context) {
    const item = toAttributeMap(item_data, 'item_data');
    const aws = await context.services.load();
    context.log(`will put an item of ${Object.keys(item).length} attributes into table ${table_name}`);
    try {
      await aws.putItem({ TableName: table_name, Item: item }, context.signal);
    } catch (error) {
      throw toAwsFailure(error, 'PutItem', context.signal);
    }
    context.log(`did put the item into table ${table_name}`);
    // Python's answer: PutItem's output without its metadata, which is {} as nothing more is asked for.
    return { response: '{}', mimetype: 'application/json' };
  },
});

function toItem(value: unknown): Coerced<Record<string, unknown>> {
  if (isJsonObject(value)) return { ok: true, value };
  return { ok: false, problem: `must be an object of attribute names to values, got ${kindOf(value)}` };
}
