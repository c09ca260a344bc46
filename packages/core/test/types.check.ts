/**
 * Type tests, checked by `tsc -p tsconfig.check.json` and never run: each `@ts-expect-error`
 * proves a wrong usage is refused, the rest proves what `run` receives is inferred.
 */
import {
  type Command,
  type CommandContext,
  CommandError,
  defineCommand,
  defineConnector,
  defineServices,
  invoke,
  type Param,
  type ParamsOf,
  param,
  shape,
} from '@connector-proxy/core';
import { createFakeContext, runCommand } from '@connector-proxy/core/testing';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(_proof?: T): void {}

const params = {
  host: param.str('Host'),
  port: param.int(),
  tls: param.bool(),
  headers: param.any(),
  user: param.str().optional(),
  retries: param.int().default(3),
  optionalWithDefault: param.str().optional().default('x'),
  password: param.str().secret(),
  format: param.enum(['json', 'form']),
  method: param.enum(['GET', 'POST']).default('GET'),
  mode: param.enum(['a', 'b']).optional(),
  described: param.bool().describe('Flag'),
};
type Args = ParamsOf<typeof params>;

expectType<Equal<Args['host'], string>>();
expectType<Equal<Args['port'], number>>();
expectType<Equal<Args['tls'], boolean>>();
expectType<Equal<Args['headers'], unknown>>();
expectType<Equal<Args['user'], string | undefined>>();
expectType<Equal<Args['retries'], number>>();
expectType<Equal<Args['optionalWithDefault'], string>>();
expectType<Equal<Args['password'], string>>();
expectType<Equal<Args['format'], 'json' | 'form'>>();
expectType<Equal<Args['method'], 'GET' | 'POST'>>();
expectType<Equal<Args['mode'], 'a' | 'b' | undefined>>();
expectType<Equal<Args['described'], boolean>>();
// @ts-expect-error proves Equal can fail: an optional string is not a plain string
expectType<Equal<Args['user'], string>>();

export const Typed = defineCommand({
  params,
  run(args, context) {
    expectType<Equal<typeof args, Args>>();
    expectType<Equal<typeof context, CommandContext<undefined>>>();
    const host: string = args.host;
    const port: number = args.port;
    // @ts-expect-error an optional parameter may be undefined
    const user: string = args.user;
    const retries: number = args.retries;
    // @ts-expect-error an enum is a union of its literals, not any string
    const format: 'json' = args.format;
    // @ts-expect-error an int is not a string
    const wrong: string = args.port;
    // @ts-expect-error an undeclared parameter does not exist
    args.undeclared;
    context.log(`${host}:${port} ${user} ${retries} ${format} ${wrong}`);
    return { body: { ok: true }, mimetype: 'application/json', httpStatus: 200, headers: { 'x-a': 'b' } };
  },
});

// A command's own params type survives defineCommand.
expectType<Equal<typeof Typed, Command<typeof params>>>();

// @ts-expect-error a default must have the parameter's type
param.str().default(5);
// @ts-expect-error a default cannot be null
param.int().default(null);
// @ts-expect-error a default cannot be undefined
param.any().default(undefined);
// @ts-expect-error an enum's default must be one of its values
param.enum(['a', 'b']).default('c');
// @ts-expect-error enum values are strings
param.enum([1, 2]);
// @ts-expect-error descriptions are text
param.str(42);

defineCommand({
  params: {},
  // @ts-expect-error run must return a result ({ body }) or a legacy result ({ response })
  run: () => 'plain text',
});

defineCommand({
  params: {},
  // @ts-expect-error httpStatus is a number
  run: () => ({ body: null, httpStatus: '200' }),
});

defineCommand({
  params: {},
  run: async () => ({ response: 'legacy text', status: 200, mimetype: 'text/plain' }),
});

defineCommand({
  // @ts-expect-error params must be declared with param builders
  params: { host: 'str' },
  run: () => ({ body: null }),
});

// @ts-expect-error a command needs params
defineCommand({ run: () => ({ body: null }) });

defineConnector({ name: 'typed', commands: { Typed } });
// @ts-expect-error a connector needs a name
defineConnector({ commands: { Typed } });

new CommandError('HttpError404', 'not found', { httpStatus: 404, cause: new Error('x') });
// @ts-expect-error the status goes in the options bag
new CommandError('HttpError404', 'not found', 404);

export async function usesTheTestKit(): Promise<void> {
  const run = await runCommand(Typed, { host: 'h' }, { taskData: { a: 1 }, timeoutMs: 10, config: { KEY: 'v' } });
  const logs: readonly string[] = run.logs;
  const invocation = await invoke(Typed, { host: 'h' });
  if (invocation.kind === 'v2') {
    const code: string | undefined = invocation.envelope.error?.error_code;
    void code;
  }
  const context = createFakeContext({ taskData: { a: 1 } });
  const result = await Typed.run(
    {
      host: 'h',
      port: 1,
      tls: true,
      headers: {},
      user: undefined,
      retries: 3,
      optionalWithDefault: 'x',
      password: 'p',
      format: 'json',
      method: 'GET',
      mode: undefined,
      described: false,
    },
    context,
  );
  void result;
  void logs;
  // @ts-expect-error run checks its arguments' types
  await Typed.run({ host: 1 }, context);
}

// A Param of a narrower type is still a parameter declaration.
const declared: Param<unknown> = param.enum(['a']);
void declared;

// Structured parameters: run receives the narrowed type, never unknown.
const structured = {
  order: param.object({
    id: shape.bigint(),
    items: shape.array(shape.object({ sku: shape.str(), qty: shape.int().optional() })),
    note: shape.str().optional(),
    rush: shape.bool().default(false),
  }),
  tags: param.record(shape.union([shape.str(), shape.int()])).optional(),
  ids: param.array(shape.bigint()),
  mode: param.union([shape.enum(['a', 'b']), shape.array(shape.str())]),
  port: param.int().min(1).max(65_535),
  big: param.bigint().min(0n).default(1n),
  address: param.str().refine((text) => ({ ok: true as const, value: { address: text } })),
};
type StructuredArgs = ParamsOf<typeof structured>;
expectType<
  Equal<
    StructuredArgs['order'],
    { id: bigint; items: { sku: string; qty?: number | undefined }[]; rush: boolean; note?: string | undefined }
  >
>();
expectType<Equal<StructuredArgs['tags'], Record<string, string | number> | undefined>>();
expectType<Equal<StructuredArgs['ids'], bigint[]>>();
expectType<Equal<StructuredArgs['mode'], 'a' | 'b' | string[]>>();
expectType<Equal<StructuredArgs['port'], number>>();
expectType<Equal<StructuredArgs['big'], bigint>>();
expectType<Equal<StructuredArgs['address'], { address: string }>>();

export const Structured = defineCommand({
  params: structured,
  run({ order, tags, ids }) {
    const first: string | undefined = order.items[0]?.sku;
    const total: bigint = ids.reduce((sum, id) => sum + id, order.id);
    // @ts-expect-error an optional field may be undefined
    const qty: number = order.items[0]?.qty;
    // @ts-expect-error an undeclared field does not exist
    order.colour;
    // @ts-expect-error a record of optional tags may itself be undefined
    tags.x;
    return { body: { first, total: String(total), qty } };
  },
});

// @ts-expect-error min and max bound numbers only
param.str().min(1);
// @ts-expect-error a structured field must be declared with a builder
param.object({ name: 'str' });
// @ts-expect-error a bigint default is a bigint
param.bigint().default(1);

// A command naming its connector's services gets their configuration and services typed.
const pooled = defineServices({
  config: { MAX_ROWS: param.int().default(10), DSN: param.str().secret().optional() },
  setup: (config) => ({ pool: { size: config.MAX_ROWS } }),
});
export const UsesServices = defineCommand({
  services: pooled,
  params: {},
  run(_args, { config, services }) {
    expectType<Equal<typeof config.MAX_ROWS, number>>();
    expectType<Equal<typeof config.DSN, string | undefined>>();
    expectType<Equal<typeof services, { pool: { size: number } }>>();
    // @ts-expect-error an undeclared setting is not there
    void config.OTHER;
    return { body: services.pool.size };
  },
});
