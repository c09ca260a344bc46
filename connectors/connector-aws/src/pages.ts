import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CommandContext, LegacyResult, ResultDeclaration } from '@connector-proxy/core';
import { fromAttributeMap } from './attributes.js';
import { toAwsFailure } from './errors.js';
import { toPythonJson } from './python-json.js';

/** A DynamoDB item or key, as attribute values. */
type AttributeMap = Record<string, AttributeValue>;

/** One page as Query and Scan answer it. */
export interface Page {
  Items?: AttributeMap[];
  Count?: number;
  ScannedCount?: number;
  LastEvaluatedKey?: AttributeMap;
  ConsumedCapacity?: unknown;
}

/** The declared result of Query and Scan: Python's version-1 body. */
export const PAGE_RESULT: ResultDeclaration = {
  description:
    'HTTP 200 with the DynamoDB answer as the body (version 1, as Python): Items as plain JSON, Count, ScannedCount, and LastEvaluatedKey when more items remain.',
  schema: {
    type: 'object',
    required: ['Items', 'Count', 'ScannedCount'],
    properties: {
      Items: { type: 'array', items: { type: 'object' } },
      Count: { type: 'integer' },
      ScannedCount: { type: 'integer' },
      LastEvaluatedKey: { type: 'object' },
    },
  },
};

/** How many pages, and how many items at most. */
export interface PageOptions {
  all_pages?: boolean | undefined;
  limit?: number | undefined;
}

/**
 * With all_pages, reading stops here even without a limit (the rest is announced by
 * LastEvaluatedKey), so that one call cannot hold a whole large table in memory.
 */
export const MAX_ITEMS = 100_000;

/**
 * Reads the first page, as Python does, or every page with `all_pages`; `limit` bounds the items
 * (DynamoDB's `Limit` on each request, so no more are read than returned). Answers Python's
 * version-1 result: HTTP 200 and the DynamoDB answer without its metadata, numbers exact.
 */
export async function readPages(
  operation: 'Query' | 'Scan',
  send: (startKey: AttributeMap | undefined, limit: number | undefined) => Promise<Page>,
  options: PageOptions,
  context: CommandContext,
): Promise<LegacyResult> {
  const { limit } = options;
  const bound = options.all_pages ? Math.min(limit ?? MAX_ITEMS, MAX_ITEMS) : limit;
  const items: AttributeMap[] = [];
  let count = 0;
  let scanned = 0;
  let pages = 0;
  let last: Page = {};
  do {
    const wanted = bound === undefined ? undefined : bound - items.length;
    try {
      last = await send(last.LastEvaluatedKey, wanted);
    } catch (error) {
      throw toAwsFailure(error, operation, context.signal);
    }
    pages += 1;
    items.push(...(last.Items ?? []));
    count += last.Count ?? 0;
    scanned += last.ScannedCount ?? 0;
  } while (options.all_pages && last.LastEvaluatedKey && (bound === undefined || items.length < bound));
  context.log(`did ${operation}: ${items.length} items in ${pages} page${pages === 1 ? '' : 's'}`);
  if (options.all_pages && last.LastEvaluatedKey && items.length >= MAX_ITEMS) {
    context.log(`stopped after ${MAX_ITEMS} items: LastEvaluatedKey marks where the rest begins`);
  }
  // Python's key order (the order of boto's output shape), without ResponseMetadata.
  const answer: Record<string, unknown> = { Items: items.map(fromAttributeMap), Count: count, ScannedCount: scanned };
  if (last.LastEvaluatedKey) answer.LastEvaluatedKey = fromAttributeMap(last.LastEvaluatedKey);
  return { response: toPythonJson(answer), mimetype: 'application/json' };
}
