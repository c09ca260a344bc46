// Where the proxy's CPU time per request goes, by difference: the same answer served by more and
// more of the proxy (node:http, + Hono, + body reading, + core, the real app, + request log), each
// in its own process, rounds rotated, CPU time read from the OS as in run.js.
// Usage: node bench/stages.js [--duration S] [--rounds N] [--stages a,b] [--only listing|example]
// (after npm run build)
import { parseArgs } from 'node:util';
import { pickGenerator } from './load.js';
import { childTarget, measure } from './measure.js';
import { median, micros, printAligned } from './report.js';
import { startChild, stopAll } from './servers.js';

/** What each stage adds to the one before it. */
const STAGES = {
  node: 'node:http, the answer precomputed (the bare server)',
  'node-body': 'node:http, the body read and JSON.parse, the answer precomputed',
  'node-invoke': '+ core: invoke and JSON.stringify, without Hono (the direct path, bare)',
  hono: '+ @hono/node-server and Hono routing, the answer precomputed',
  body: '+ reading the body (c.req.text) and JSON.parse',
  invoke: '+ core: find, invoke (params, run, fold) and JSON.stringify',
  headers: '+ reading two request headers with c.req.header, as the body limit does',
  app: 'createApp as the proxy serves it, request log off',
  off: 'startServer, request log off (adds the shutdown signal to every invocation)',
  'text-sync': 'startServer, request log text, each line a process.stdout.write (the old writer)',
  'text-null': 'startServer, request log text formatted and dropped (no writer)',
  text: 'startServer, request log text through the buffered writer (npm start)',
  open: 'the same with CONNECTOR_PROXY_EGRESS=open (no egress policy installed)',
};

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    stages: { type: 'string' },
    only: { type: 'string' },
  },
});
const chosen = values.stages?.split(',') ?? Object.keys(STAGES).filter((s) => s !== 'headers');
const load = { connections: Number(values.connections), duration: Number(values.duration) };
const generator = pickGenerator(undefined);
const requests = [
  { name: 'listing', method: /** @type {const} */ ('GET'), path: '/v1/commands' },
  {
    name: 'example',
    method: /** @type {const} */ ('POST'),
    path: '/v1/do/example/Example',
    body: JSON.stringify({ message: 'Hello from the benchmark' }),
    expect: '"error":null',
  },
];

try {
  const targets = [];
  for (const stage of Object.keys(STAGES))
    targets.push(childTarget(stage, await startChild('stage-server.js', { args: [stage] })));
  const lines = [];
  for (const request of requests.filter((r) => values.only === undefined || r.name === values.only)) {
    for (const t of targets) await measure(generator, t, request, { ...load, duration: 2 });
    /** @type {Record<string, number[]>} */
    const cpu = {};
    for (let round = 0; round < Number(values.rounds); round += 1) {
      const order = [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)];
      for (const t of order) {
        const run = await measure(generator, t, request, load);
        cpu[t.name] = [...(cpu[t.name] ?? []), run.cpuUs];
      }
    }
    let previous = 0;
    for (const [stage, what] of Object.entries(STAGES)) {
      if (!chosen.includes(stage) || (request.name === 'listing' && ['body', 'invoke', 'headers'].includes(stage)))
        continue;
      const us = median(cpu[stage] ?? []);
      // Both log stages are compared with the server without a log.
      const logOff = cpu.off ?? cpu.app;
      const base = stage.startsWith('text') && logOff ? median(logOff) : previous;
      lines.push([request.name, stage, what, micros(us), stage === 'node' ? '' : micros(us - base)]);
      previous = us;
    }
  }
  console.log(
    `CPU per request by stage (${generator}, ${load.connections} connections, medians of ${values.rounds} rounds of ${load.duration} s):`,
  );
  printAligned(['request', 'stage', 'what it adds', 'CPU/req', 'added'], lines);
} finally {
  await stopAll();
}
