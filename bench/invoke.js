// Core's per-request cost without a server: parseJson of a request body, `invoke` of a target,
// toWireResponse of the answer, as the server does for POST /v1/do. CPU microseconds per call
// (process.cpuUsage), sequential and 32 at a time, rounds rotated, medians printed.
// `--base DIR` adds the same sides run by another build of core (a copy of packages/core/dist,
// say bench/.bench/core-base), to compare two versions in one run.
// Usage: node bench/invoke.js [--calls N] [--rounds N] [--concurrency N] [--only NAME,...] [--base DIR]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as current from '@connector-proxy/core';
import example from '../connectors/connector-example/dist/index.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '32' },
    only: { type: 'string', default: '' },
    base: { type: 'string' },
  },
});
const calls = Number(values.calls);
const rounds = Number(values.rounds);
const concurrency = Number(values.concurrency);

const plain = JSON.stringify({ message: 'Hello from the bench' });
// What SpiffArena sends: the parameters plus the reserved keys.
const spiff = JSON.stringify({
  message: 'Hello from the bench',
  spiff__task_data: { order: { id: 4711, items: [{ sku: 'A-1', qty: 2 }], total: 19.99 }, approved: true },
  spiff__callback_url: 'http://127.0.0.1:7000/api/v1.0/callback/abc',
  spiff__process_instance_id: 1234,
  spiff__process_model_identifier: 'misc/bench/example',
  spiff__task_id: '0a4b8d9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
});

/** The sides one build of core offers. */
async function sidesOf(/** @type {typeof current} */ core, /** @type {string} */ suffix) {
  const registry = await core.startRegistry([example]);
  const target = registry.target('example', 'Example');
  if (!target) throw new Error('example/Example is not in the registry');
  const stop = new AbortController();
  const options = { timeoutMs: 40_000, signal: stop.signal };
  const asyncEcho = core.defineCommand({
    params: { message: core.param.str('a message') },
    run: async ({ message }) => ({ body: { connector_response: message } }),
  });
  const withSignal = core.defineCommand({
    params: { message: core.param.str('a message') },
    run: async ({ message }, { signal }) => ({ body: { connector_response: message, aborted: signal.aborted } }),
  });
  /** The server's path: parse the text, invoke, write the answer. */
  const request = async (/** @type {any} */ command, /** @type {string} */ text) => {
    const parsed = core.parseJson(text);
    if (!parsed.ok) throw new Error(parsed.problem);
    const wire = core.toWireResponse(await core.invoke(command, parsed.value, options));
    if (wire.status !== 200) throw new Error(String(wire.body));
    return wire;
  };
  /** The floor: what any server must do, JSON.parse, the command's run, JSON.stringify of the envelope. */
  const floor = async (/** @type {string} */ text) => {
    const body = JSON.parse(text);
    const output = target.command.run({ message: body.message }, /** @type {any} */ ({}));
    const envelope = { command_response: output, error: null, command_response_version: 2, spiff__logs: [] };
    return { status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(envelope) };
  };
  return {
    ...(suffix === '' ? { floor: () => floor(plain), 'floor-spiff': () => floor(spiff) } : {}),
    [`example${suffix}`]: () => request(target, plain),
    [`example-spiff${suffix}`]: () => request(target, spiff),
    [`async${suffix}`]: () => request(asyncEcho, spiff),
    [`signal${suffix}`]: () => request(withSignal, plain),
  };
}

/** @type {Record<string, () => Promise<unknown>>} */
const sides = { ...(await sidesOf(current, '')) };
if (values.base) {
  const base = await import(pathToFileURL(resolve(values.base, 'index.js')).href);
  Object.assign(sides, await sidesOf(base, '@base'));
}
const names = values.only
  ? Object.keys(sides).filter((name) => values.only.split(',').includes(name.replace('@base', '')))
  : Object.keys(sides);

/** CPU microseconds per call of `count` calls, `width` at a time. */
async function measure(/** @type {() => Promise<unknown>} */ call, count, width) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      await call();
    }
  };
  const start = process.cpuUsage();
  await Promise.all(Array.from({ length: width }, worker));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

const median = (/** @type {number[]} */ list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? NaN;

// Warm-up: let V8 optimize every side before anything is counted.
for (const name of names) await measure(sides[name], 5000, concurrency);
for (const width of [1, concurrency]) {
  /** @type {Record<string, number[]>} */
  const figures = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(i + round) % names.length];
      figures[name].push(await measure(sides[name], calls, width));
    }
  }
  console.log(width === 1 ? 'sequential:' : `${width} concurrent:`);
  for (const name of names) console.log(`  ${name.padEnd(20)} ${median(figures[name]).toFixed(2)} us`);
}
