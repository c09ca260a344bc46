// connector-http's CPU per call without the server: the built GetRequestV2 run through core's
// `invoke`, against the bench upstream (its own process, so its CPU is not counted), beside a
// bare node:http GET on a keep-alive agent that reads and parses the same answer. Rounds
// alternate the two sides; medians are printed. The connector's own share is the difference
// between `invoke` of the command and `invoke` of an async command that does nothing. `--base DIR`
// adds the side `base`: another build of connector-http (a copy of its dist, say
// bench/.bench/http-base/dist), to compare two versions in one run.
// Usage: node bench/http-connector.js [--calls N] [--rounds N] [--concurrency N] [--only NAME,...] [--base DIR]
import { fork } from 'node:child_process';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { defineCommand, invoke, startRegistry } from '@connector-proxy/core';
import http from '../connectors/connector-http/dist/index.js';
import { measureRotated, readLoopOptions } from './in-process.js';

const values = readLoopOptions(4000);
const { calls, rounds, concurrency } = values;

const upstreamProcess = fork(fileURLToPath(new URL('./upstream.js', import.meta.url)), [], { stdio: 'inherit' });
const port = await new Promise((resolve, reject) => {
  upstreamProcess.once('message', (/** @type {any} */ message) => resolve(message.port));
  upstreamProcess.once('exit', () => reject(new Error('the upstream exited before it was ready')));
});
const url = `http://127.0.0.1:${port}/data`;

/** GetRequestV2 of a connector-http build, started in a registry of its own. */
async function start(/** @type {import('@connector-proxy/core').Connector} */ connector) {
  const registry = await startRegistry([connector]);
  const target = registry.target('http', 'GetRequestV2');
  if (!target) throw new Error('http/GetRequestV2 is not in the registry');
  return { registry, target };
}
const current = await start(http);
const base = values.base
  ? await start((await import(pathToFileURL(resolve(values.base, 'index.js')).href)).default)
  : undefined;
const noop = defineCommand({ description: 'does nothing, later', params: {}, run: async () => ({ body: {} }) });

const agent = new Agent({ keepAlive: true });
/** The bare side: GET, read, JSON.parse, as bench/bare.js forwards. */
function bare() {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers: { 'user-agent': 'bench', accept: '*/*' } }, (answer) => {
      /** @type {Buffer[]} */
      const parts = [];
      answer.on('data', (chunk) => parts.push(chunk));
      answer.on('end', () => resolve({ body: JSON.parse(Buffer.concat(parts).toString('utf8')) }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function call(/** @type {import('@connector-proxy/core').Target} */ target) {
  const invocation = /** @type {any} */ (await invoke(target, { url }));
  if (invocation.envelope?.error) throw new Error(JSON.stringify(invocation.envelope.error));
  return invocation;
}

/** @type {Record<string, () => Promise<unknown>>} */
const sides = {
  bare,
  connector: () => call(current.target),
  ...(base ? { base: () => call(base.target) } : {}),
  'invoke-noop': () => invoke(noop, {}),
};
const names = values.only ? values.only.split(',') : Object.keys(sides);

try {
  await measureRotated(sides, names, { calls, rounds, warmup: 2000, widths: [1, concurrency] }, (width, medians) => {
    const line = names.map((name) => `${name} ${(medians[name] ?? NaN).toFixed(1)} us`).join(', ');
    console.log(`${width === 1 ? 'sequential' : `${width} concurrent`}: ${line}`);
    for (const name of ['connector', 'base']) {
      const bare = medians.bare;
      const other = medians[name];
      if (bare === undefined || other === undefined) continue;
      console.log(`  ratio bare/${name} ${(bare / other).toFixed(2)}`);
    }
  });
} finally {
  agent.destroy();
  await current.registry.close();
  await base?.registry.close();
  upstreamProcess.kill();
}
