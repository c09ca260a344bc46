import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ExactNumber, invoke, parseJson, startRegistry, toWireResponse } from '@connector-proxy/core';
import { runCommand } from '@connector-proxy/core/testing';
import aws from '../src/index.js';
import { type LocalAws, startLocalAws, uniqueName } from './local-aws.js';

const command = (name: string) => {
  const found = aws.commands.get(name);
  if (!found) throw new Error(`connector-aws has no ${name}`);
  return found;
};
const AddDynamoItem = command('AddDynamoItem');
const QueryDynamoTable = command('QueryDynamoTable');
const ScanDynamoTable = command('ScanDynamoTable');

let local: LocalAws;
let admin: DynamoDBClient;
before(async () => {
  local = await startLocalAws();
  admin = new DynamoDBClient({});
});
after(async () => {
  admin.destroy();
  await local.stop();
});

/** Python's test table: partition key `year` (N), sort key `title` (S). */
async function createMovies(): Promise<string> {
  const name = uniqueName('Movies');
  await admin.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [
        { AttributeName: 'year', KeyType: 'HASH' },
        { AttributeName: 'title', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'year', AttributeType: 'N' },
        { AttributeName: 'title', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return name;
}

async function createKeyed(type: 'S' | 'N' | 'B'): Promise<string> {
  const name = uniqueName(`Keyed${type}`);
  await admin.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: type }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  return name;
}

/** The version-1 answer of a run: status, mimetype and the body text. */
async function legacy(run: Promise<Awaited<ReturnType<typeof runCommand>>>) {
  const { invocation } = await run;
  assert.equal(invocation.kind, 'v1', JSON.stringify(invocation));
  return invocation.answer;
}

async function addMovies(table: string): Promise<void> {
  for (const item of [
    { year: 1982, title: 'Blade Runner' },
    { year: 1964, title: 'Dr. Strange Love' },
  ]) {
    const answer = await legacy(runCommand(AddDynamoItem, { table_name: table, item_data: item }));
    assert.equal(answer.body, '{}');
  }
}

test("AddDynamoItem answers Python's version-1 result: HTTP 200, application/json, body {}", async () => {
  const table = await createMovies();
  const answer = await legacy(
    runCommand(AddDynamoItem, { table_name: table, item_data: { year: 1982, title: 'Blade Runner' } }),
  );
  assert.deepEqual(answer, { status: 200, mimetype: 'application/json', body: '{}' });
});

test("QueryDynamoTable finds Python's test rows by partition key, given as text or as the number", async () => {
  const table = await createMovies();
  const empty = await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key: '1982' }));
  assert.deepEqual(JSON.parse(empty.body), { Items: [], Count: 0, ScannedCount: 0 });
  await addMovies(table);
  for (const partition_key of ['1982', 1982]) {
    const answer = await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key }));
    assert.equal(answer.status, 200);
    assert.equal(answer.mimetype, 'application/json');
    // Python's bytes: json.dumps separators, its key order, numbers as DynamoDB sent them.
    assert.equal(answer.body, '{"Items": [{"year": 1982, "title": "Blade Runner"}], "Count": 1, "ScannedCount": 1}');
  }
});

test('QueryDynamoTable with sort_key narrows to one item; an empty sort_key means none, as in Python', async () => {
  const table = await createMovies();
  await addMovies(table);
  await legacy(runCommand(AddDynamoItem, { table_name: table, item_data: { year: 1982, title: 'Tron' } }));
  const one = await legacy(
    runCommand(QueryDynamoTable, { table_name: table, partition_key: '1982', sort_key: 'Tron' }),
  );
  assert.deepEqual(JSON.parse(one.body).Items, [{ year: 1982, title: 'Tron' }]);
  const both = await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key: '1982', sort_key: '' }));
  assert.equal(JSON.parse(both.body).Count, 2);
});

test('ScanDynamoTable returns every item with Count and ScannedCount', async () => {
  const table = await createMovies();
  await addMovies(table);
  const answer = await legacy(runCommand(ScanDynamoTable, { table_name: table }));
  const parsed = JSON.parse(answer.body);
  assert.equal(parsed.Count, 2);
  assert.equal(parsed.ScannedCount, 2);
  assert.deepEqual(
    parsed.Items.sort((a: { year: number }, b: { year: number }) => a.year - b.year),
    [
      { year: 1964, title: 'Dr. Strange Love' },
      { year: 1982, title: 'Blade Runner' },
    ],
  );
});

test('floats at any depth and numbers beyond 2^53 are stored as DynamoDB numbers and come back exact', async () => {
  const table = await createKeyed('S');
  const big = '123456789012345678901234567890';
  const item = {
    id: 'order-1',
    price: 19.99,
    snowflake: new ExactNumber('9007199254740993'),
    nested: { rate: 0.075, list: [1.5, { deep: 2.25, huge: new ExactNumber(big) }], tiny: 1e-7 },
  };
  const put = await legacy(runCommand(AddDynamoItem, { table_name: table, item_data: item }));
  assert.equal(put.body, '{}');
  const stored = await admin.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'order-1' } } }));
  assert.deepEqual(stored.Item?.price, { N: '19.99' });
  assert.deepEqual(stored.Item?.snowflake, { N: '9007199254740993' });
  assert.deepEqual(stored.Item?.nested?.M?.rate, { N: '0.075' });
  const scanned = await legacy(runCommand(ScanDynamoTable, { table_name: table }));
  assert.match(scanned.body, /"snowflake": 9007199254740993[,}]/);
  assert.match(scanned.body, new RegExp(`"huge": ${big}[,}]`));
  assert.match(scanned.body, /"price": 19\.99[,}]/);
  assert.match(scanned.body, /"deep": 2\.25[,}]/);
  const queried = await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key: 'order-1' }));
  assert.match(queried.body, /"snowflake": 9007199254740993[,}]/);
});

test('text is escaped as Python writes it (ensure_ascii), and null, booleans, lists and maps survive', async () => {
  const table = await createKeyed('S');
  const item = {
    id: 'k',
    name: 'Zoë "quoted" \n',
    flag: true,
    none: null,
    tags: ['a', 'b'],
    map: { x: 'y' },
    empty: '',
  };
  await legacy(runCommand(AddDynamoItem, { table_name: table, item_data: item }));
  const answer = await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key: 'k' }));
  assert.match(answer.body, /"name": "Zo\\u00eb \\"quoted\\" \\n"/);
  assert.deepEqual(JSON.parse(answer.body).Items, [item]);
});

test('a partition key of type B is queried with the bytes of its base64 text, and comes back as base64', async () => {
  const table = await createKeyed('B');
  const raw = new DynamoDBClient({});
  try {
    const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
    await raw.send(
      new PutItemCommand({ TableName: table, Item: { id: { B: Buffer.from('key-bytes') }, v: { S: 'x' } } }),
    );
  } finally {
    raw.destroy();
  }
  const answer = await legacy(
    runCommand(QueryDynamoTable, { table_name: table, partition_key: Buffer.from('key-bytes').toString('base64') }),
  );
  assert.deepEqual(JSON.parse(answer.body).Items, [{ id: Buffer.from('key-bytes').toString('base64'), v: 'x' }]);
});

test('a partition_key that does not fit the key type, or a sort_key for a table without one, is InvalidParameters', async () => {
  const movies = await createMovies();
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ table_name: movies, partition_key: 'nineteen' }, /partition_key must be a number: the key year is of type N/],
    [{ table_name: await createKeyed('S'), partition_key: 'a', sort_key: 'b' }, /has no sort key/],
    [{ table_name: await createKeyed('B'), partition_key: '***' }, /partition_key must be base64/],
  ];
  for (const [params, message] of cases) {
    const run = await runCommand(QueryDynamoTable, params);
    assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(params));
    assert.match(run.error?.message ?? '', message);
    assert.equal(run.envelope.command_response.http_status, 400);
  }
});

test('item_data that is not an object, or holds an already rounded integer, is InvalidParameters', async () => {
  const table = await createKeyed('S');
  for (const item_data of [[1, 2], 'text', 5, { id: 'x', n: 2 ** 60 }]) {
    const run = await runCommand(AddDynamoItem, { table_name: table, item_data });
    assert.equal(run.error?.error_code, 'InvalidParameters', JSON.stringify(item_data));
    assert.equal(run.failure, 'invalid_parameters');
  }
});

test("a missing table is ResourceNotFoundException with its status (400) and boto's message form", async () => {
  const missing = uniqueName('Missing');
  const runs = [
    ['PutItem', await runCommand(AddDynamoItem, { table_name: missing, item_data: { id: 'x' } })],
    ['DescribeTable', await runCommand(QueryDynamoTable, { table_name: missing, partition_key: 'x' })],
    ['Scan', await runCommand(ScanDynamoTable, { table_name: missing })],
  ] as const;
  for (const [operation, run] of runs) {
    assert.equal(run.invocation.kind, 'v2');
    assert.equal(run.error?.error_code, 'ResourceNotFoundException', operation);
    assert.equal(run.failure, 'command');
    assert.equal(run.envelope.command_response.http_status, 400);
    assert.match(
      run.error?.message ?? '',
      new RegExp(`^An error occurred \\(ResourceNotFoundException\\) when calling the ${operation} operation: `),
    );
  }
});

test('an item without its key attribute is ValidationException from DynamoDB, http_status 400', async () => {
  const table = await createMovies();
  const run = await runCommand(AddDynamoItem, { table_name: table, item_data: { title: 'No Year' } });
  assert.equal(run.error?.error_code, 'ValidationException');
  assert.equal(run.envelope.command_response.http_status, 400);
});

test('limit bounds the items and LastEvaluatedKey marks the rest; all_pages reads on to the end', async () => {
  const table = await createMovies();
  for (let index = 0; index < 25; index += 1) {
    await legacy(
      runCommand(AddDynamoItem, {
        table_name: table,
        item_data: { year: 2000, title: `t${String(index).padStart(2, '0')}` },
      }),
    );
  }
  const first = JSON.parse(
    (await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key: '2000', limit: 10 }))).body,
  );
  assert.equal(first.Items.length, 10);
  assert.equal(first.Count, 10);
  assert.deepEqual(first.LastEvaluatedKey, { year: 2000, title: 't09' });

  const all = JSON.parse(
    (await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key: '2000', all_pages: true }))).body,
  );
  assert.equal(all.Items.length, 25);
  assert.equal(all.Count, 25);
  assert.equal(all.LastEvaluatedKey, undefined);

  const bounded = await runCommand(ScanDynamoTable, { table_name: table, all_pages: true, limit: 12 });
  const scanned = JSON.parse((bounded.invocation.kind === 'v1' && bounded.invocation.answer.body) || '{}');
  assert.equal(scanned.Items.length, 12);
  assert.ok(scanned.LastEvaluatedKey, 'more items remain');

  const refused = await runCommand(ScanDynamoTable, { table_name: table, limit: 0 });
  assert.equal(refused.error?.error_code, 'InvalidParameters');
});

test("all_pages follows LastEvaluatedKey across DynamoDB's 1 MB pages; the first page alone stops there", async () => {
  const table = await createKeyed('S');
  const filler = 'x'.repeat(200 * 1024);
  for (let index = 0; index < 8; index += 1) {
    await legacy(runCommand(AddDynamoItem, { table_name: table, item_data: { id: `big-${index}`, filler } }));
  }
  const firstPage = JSON.parse((await legacy(runCommand(ScanDynamoTable, { table_name: table }))).body);
  assert.ok(firstPage.Items.length < 8, `one page holds at most 1 MB, got ${firstPage.Items.length} items`);
  assert.ok(firstPage.LastEvaluatedKey);
  const run = await runCommand(ScanDynamoTable, { table_name: table, all_pages: true });
  const all = JSON.parse(run.invocation.kind === 'v1' ? run.invocation.answer.body : '{}');
  assert.equal(all.Items.length, 8);
  assert.equal(all.LastEvaluatedKey, undefined);
  assert.match(run.logs.join('\n'), /8 items in [2-9] pages/);
});

test('attributes named like Object members (constructor, toString, hasOwnProperty) are stored and read as data', async () => {
  const table = await createKeyed('S');
  const item = {
    id: 'car',
    constructor: 'Ferrari',
    toString: { name: 'Map' },
    nested: { constructor: { name: 'Set' }, hasOwnProperty: [{ name: 'Buffer' }] },
  };
  const put = await runCommand(AddDynamoItem, { table_name: table, item_data: item });
  assert.equal(put.invocation.kind, 'v1', JSON.stringify(put.error));
  const answer = await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key: 'car' }));
  assert.deepEqual(JSON.parse(answer.body).Items, [item]);
});

test('an attribute named __proto__ is InvalidParameters: the SDK could not send it', async () => {
  const table = await createKeyed('S');
  const item_data = JSON.parse('{"id": "p", "inner": {"__proto__": {"x": 1}}}');
  const run = await runCommand(AddDynamoItem, { table_name: table, item_data });
  assert.equal(run.error?.error_code, 'InvalidParameters');
  assert.match(run.error?.message ?? '', /item_data\.inner has an attribute named __proto__/);
});

test('string, number and binary sets written by other tools come back as lists, numbers exact', async () => {
  const table = await createKeyed('S');
  const { PutItemCommand } = await import('@aws-sdk/client-dynamodb');
  await admin.send(
    new PutItemCommand({
      TableName: table,
      Item: {
        id: { S: 'sets' },
        tags: { SS: ['a', 'b'] },
        scores: { NS: ['1.5', '123456789012345678901234567890'] },
        blobs: { BS: [Buffer.from('x')] },
      },
    }),
  );
  const answer = await legacy(runCommand(QueryDynamoTable, { table_name: table, partition_key: 'sets' }));
  assert.match(
    answer.body,
    /"scores": \[(1\.5, 123456789012345678901234567890|123456789012345678901234567890, 1\.5)\]/,
  );
  const [item] = JSON.parse(answer.body).Items;
  assert.deepEqual(item.tags.sort(), ['a', 'b']);
  assert.deepEqual(item.blobs, [Buffer.from('x').toString('base64')]);
});

test('a request body with numbers beyond 2^53 stores them exactly, and the answer on the wire writes them back', async () => {
  const table = await createKeyed('S');
  const registry = await startRegistry([aws], { env: {} });
  try {
    const add = registry.target('aws', 'AddDynamoItem');
    const query = registry.target('aws', 'QueryDynamoTable');
    assert.ok(add && query);
    const text = `{"table_name": "${table}", "item_data": {"id": "w", "n": 9007199254740993, "d": 0.1000000000000000055511151231257827}}`;
    const body = parseJson(text);
    assert.ok(body.ok);
    const put = toWireResponse(await invoke(add, body.value));
    assert.equal(put.status, 200, put.body ?? '');
    const stored = await admin.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'w' } } }));
    assert.deepEqual(stored.Item?.n, { N: '9007199254740993' });
    const found = parseJson(`{"table_name": "${table}", "partition_key": "w"}`);
    assert.ok(found.ok);
    const answer = toWireResponse(await invoke(query, found.value));
    assert.match(answer.body ?? '', /"n": 9007199254740993[,}]/);
  } finally {
    await registry.close();
  }
});
