import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/main.js';
import { closest, didYouMean, editDistance } from '../src/suggest.js';
import { createDemoHost } from './demo.js';
import { createFakeIo } from './fake-io.js';
import { createHost, removeTemps, writeConnector } from './fixtures.js';

after(removeTemps);
const demo = createDemoHost();
const shop = createHost();
writeConnector(join(shop, 'connectors/connector-shop'), {
  name: 'shop',
  commands: {
    Order: `{
      description: 'Place an order with the \`shop\` API.',
      params: {
        item: param.str('What to order'),
        size: param.enum(['S', 'M', 'L'], 'Which size').default('M'),
        api_token: param.str('Token of the shop API').secret(),
        gift: param.bool().optional(),
      },
      result: { description: 'The order as the shop stored it.', mimetype: 'application/json', schema: { type: 'object' } },
      errors: { OutOfStock: 'The item is sold out (http_status 409).' },
      idempotent: true,
      run: ({ item, size }) => ({ body: { item, size } }),
    }`,
    Slow: `{
      description: 'Takes a while.',
      params: { ms: param.int('How long') },
      run: ({ ms }, { signal }) => new Promise((resolve) => {
        const timer = setTimeout(() => resolve({ body: 'done' }), ms);
        signal.addEventListener('abort', () => clearTimeout(timer));
      }),
    }`,
  },
});

async function cli(cwd: string, args: string[], isTTY = false) {
  const io = createFakeIo({ cwd, isTTY });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

test('describe shows the description, every parameter with its traits, the result and the error codes', async () => {
  const { code, out, err } = await cli(shop, ['describe', 'shop/Order']);
  assert.equal(err, '');
  assert.equal(code, 0);
  assert.equal(
    out,
    `shop/Order
  Place an order with the shop API.
  idempotent

Parameters:
  item (str, required)
      What to order
  size (str, optional, default "M", one of "S", "M", "L")
      Which size
  api_token (str, required, secret)
      Token of the shop API
  gift (bool, optional)

Result:
  The order as the shop stored it.
  mimetype: application/json
  schema: {"type":"object"}

Error codes:
  OutOfStock         The item is sold out (http_status 409).
  InvalidParameters  Parameters are missing or of the wrong type; the message
                     names each one.
  CommandTimeout     The command did not finish before its deadline (http_status
                     504).
  ProxyShuttingDown  The proxy stopped the command while shutting down
                     (http_status 503; retry).
`,
  );
});

test('describe --json prints the entry of the detailed listing', async () => {
  const { code, out } = await cli(shop, ['describe', 'shop/Order', '--json']);
  assert.equal(code, 0);
  const entry = JSON.parse(out);
  assert.equal(entry.id, 'shop/Order');
  const { schema, ...size } = entry.parameters[1];
  assert.deepEqual(schema.enum, ['S', 'M', 'L']);
  assert.deepEqual(size, {
    id: 'size',
    type: 'str',
    required: false,
    description: 'Which size',
    default: 'M',
    enum: ['S', 'M', 'L'],
  });
  assert.deepEqual(entry.errors[0], { code: 'OutOfStock', description: 'The item is sold out (http_status 409).' });
});

test('run <command> --help prints the command description, then how to run it', async () => {
  const { code, out } = await cli(shop, ['run', 'shop/Order', '--help']);
  assert.equal(code, 0);
  assert.match(out, /^shop\/Order\n {2}Place an order/);
  assert.match(out, /size \(str, optional, default "M", one of "S", "M", "L"\)/);
  assert.match(out, /OutOfStock/);
  assert.match(out, /\nUsage: connector-proxy run <connector\/Command>/);
  assert.match((await cli(shop, ['run', '--help'])).out, /^Usage: connector-proxy run/);
});

test('an unknown command gets the closest ids, ignoring case, and the list of known ones; exit 1', async () => {
  for (const verb of ['describe', 'run']) {
    for (const [id, hint] of [
      ['demo/Ehco', 'did you mean "demo/Echo"?'],
      ['demo/echo', 'did you mean "demo/Echo"?'],
      ['demo/FAIL', 'did you mean "demo/Fail"?'],
    ] as const) {
      const { code, out, err } = await cli(demo, [verb, id]);
      assert.equal(code, 1, `${verb} ${id}`);
      assert.equal(out, '');
      assert.equal(
        err,
        `connector-proxy ${verb}: there is no command "${id}"; ${hint} Known: demo/Echo, demo/Fail, demo/Legacy\n`,
      );
    }
  }
  const far = await cli(demo, ['describe', 'demo/Nothing']);
  assert.equal(
    far.err,
    'connector-proxy describe: there is no command "demo/Nothing"; known: demo/Echo, demo/Fail, demo/Legacy\n',
  );
});

test('a command without its connector is a usage error that suggests the full id; exit 2', async () => {
  const { code, err } = await cli(demo, ['describe', 'echo']);
  assert.equal(code, 2);
  assert.match(err, /got "echo"; did you mean "demo\/Echo"\? \(see connector-proxy describe --help\)\n$/);
  assert.equal((await cli(demo, ['describe'])).code, 2);
  assert.equal((await cli(demo, ['describe', 'a/B', 'c/D'])).code, 2);
});

test('run refuses a parameter the command does not declare and names the closest one; exit 2', async () => {
  const { code, out, err } = await cli(demo, ['run', 'demo/Echo', '--param', 'mesage=hi']);
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.equal(
    err,
    'connector-proxy run: demo/Echo has no parameter "mesage"; did you mean "message"? Its parameters: message, count, tags, loud (see connector-proxy run --help)\n',
  );
  const far = await cli(demo, ['run', 'demo/Echo', '--json', '{"message": "hi", "zzz": 1}']);
  assert.equal(far.code, 2);
  assert.match(far.err, /has no parameter "zzz"; its parameters: message, count, tags, loud /);
});

test('on a terminal, run notes on stderr that a command is still running after a second', async () => {
  const slow = await cli(shop, ['run', 'shop/Slow', '--param', 'ms=1300'], true);
  assert.equal(slow.code, 0);
  assert.equal(slow.err, 'running shop/Slow…\n');
  assert.match(slow.out, /^ok shop\/Slow\n/);
});

test('run stays silent on stderr when piped, and for a command that finishes within the second', async () => {
  const piped = await cli(shop, ['run', 'shop/Slow', '--param', 'ms=1300']);
  assert.equal(piped.code, 0);
  assert.equal(piped.err, '');
  const quick = await cli(shop, ['run', 'shop/Slow', '--param', 'ms=10'], true);
  assert.equal(quick.err, '');
  // The note's timer is cleared: nothing arrives after the verb returned.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal(quick.err, '');
});

test('editDistance counts a swap of neighbours as one edit and ignores case', () => {
  assert.equal(editDistance('Exampel', 'Example'), 1);
  assert.equal(editDistance('example', 'Example'), 0);
  assert.equal(editDistance('mesage', 'message'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('closest keeps near candidates only, closest first, at most three', () => {
  assert.deepEqual(closest('example/Exampel', ['example/Example', 'http/GetRequest']), ['example/Example']);
  assert.deepEqual(closest('colour', ['color', 'colors', 'cooler', 'dollar']), ['color', 'colors', 'cooler']);
  assert.deepEqual(closest('xyz', ['message']), []);
  assert.equal(didYouMean('ab', ['ab1', 'ab2']), '; did you mean "ab1" or "ab2"?');
  assert.equal(didYouMean('a', ['zzz']), '');
});
