// Core's per-request cost without a server: parseJson of a request body, `invoke` of a target,
// toWireResponse of the answer, as the server does for POST /v1/do. CPU microseconds per call
// (process.cpuUsage), sequential and 32 at a time, rounds rotated, medians printed.
// `--base DIR` adds the same sides run by another build of core (a copy of packages/core/dist,
// say bench/.bench/core-base), to compare two versions in one run.
// Usage: node bench/invoke.js [--calls N] [--rounds N] [--concurrency N] [--only NAME,...] [--base DIR]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as current from '@connector-proxy/core';
import example from '../connectors/connector-example/dist/index.js';
import { measureRotated, readLoopOptions } from './in-process.js';

const values = readLoopOptions(20000);
const { calls, rounds, concurrency } = values;

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

await measureRotated(sides, names, { calls, rounds, warmup: 5000, widths: [1, concurrency] }, (width, medians) => {
  console.log(width === 1 ? 'sequential:' : `${width} concurrent:`);
  for (const name of names) console.log(`  ${name.padEnd(20)} ${(medians[name] ?? NaN).toFixed(2)} us`);
});
