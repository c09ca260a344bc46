import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { defineCommand, param } from '@connector-proxy/core';
import { invalid } from '../checks.js';
import { DYNAMO_ERRORS } from '../errors.js';
import { PAGE_RESULT, readPages } from '../pages.js';
import { services } from '../services.js';
import { readKeySchema, toKeyValue } from '../tables.js';

/** Python's `QueryDynamoTable`: the items with one partition key (and sort key), first page or all. */
export const QueryDynamoTable = defineCommand({
  description: 'Query a DynamoDB table for the items with a partition key value, and a sort key value if given.',
  services,
  params: {
    table_name: param.str('The DynamoDB table'),
    partition_key: param.str("The partition key's value (a number key takes the number's text)"),
    sort_key: param.str("The sort key's value; leave empty for every item of the partition").optional(),
    all_pages: param.bool('Read every page, not only the first (DynamoDB answers at most 1 MB a page)').optional(),
    limit: param.int('The most items to return').min(1).optional(),
  },
  idempotent: true,
  result: PAGE_RESULT,
  errors: DYNAMO_ERRORS,
  async run({ table_name, partition_key, sort_key, all_pages, limit }, context) {
    const aws = await context.services.load();
    const schema = await readKeySchema(aws, table_name, context);
    const names: Record<string, string> = { '#pk': schema.partition.name };
    const values: Record<string, AttributeValue> = {
      ':pk': toKeyValue(partition_key, schema.partition, 'partition_key'),
    };
    let condition = '#pk = :pk';
    // As Python: an empty sort_key means "not given".
    if (sort_key) {
      if (!schema.sort) throw invalid(`sort_key is given but table ${table_name} has no sort key`);
      names['#sk'] = schema.sort.name;
      values[':sk'] = toKeyValue(sort_key, schema.sort, 'sort_key');
      condition += ' AND #sk = :sk';
    }
    context.log(`will query table ${table_name} on ${Object.values(names).join(' and ')}`);
    return readPages(
      'Query',
      (startKey, pageLimit) =>
        aws.query(
          {
            TableName: table_name,
            KeyConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ExclusiveStartKey: startKey,
            Limit: pageLimit,
          },
          context.signal,
        ),
      { all_pages, limit },
      context,
    );
  },
});
