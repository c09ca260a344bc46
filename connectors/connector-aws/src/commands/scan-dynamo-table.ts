import { defineCommand, param } from '@connector-proxy/core';
import { DYNAMO_ERRORS } from '../errors.js';
import { PAGE_RESULT, readPages } from '../pages.js';
import { services } from '../services.js';

/** Python's `ScanDynamoTable`: the items of a table, first page or all. */
export const ScanDynamoTable = defineCommand({
  description: 'Scan a DynamoDB table: its items, the first page (up to 1 MB) unless all_pages is set.',
  services,
  params: {
    table_name: param.str('The DynamoDB table'),
    all_pages: param.bool('Read every page, not only the first (DynamoDB answers at most 1 MB a page)').optional(),
    limit: param.int('The most items to return').min(1).optional(),
  },
  idempotent: true,
  result: PAGE_RESULT,
  errors: DYNAMO_ERRORS,
  async run({ table_name, all_pages, limit }, context) {
    const aws = await context.services.load();
    context.log(`will scan table ${table_name}`);
    return readPages(
      'Scan',
      (startKey, pageLimit) =>
        aws.scan({ TableName: table_name, ExclusiveStartKey: startKey, Limit: pageLimit }, context.signal),
      { all_pages, limit },
      context,
    );
  },
});
