// `node bench/jobs.js [--jobs N] [--concurrency C] [--store file|redis]`: the cost of long-running
// commands. Starts a proxy (connector-proxy serve, example connector, callbacks to a local stand-in
// for SpiffArena's callback endpoint), sends N example/Wait {seconds: 0} requests at once with C in
// flight, and reports the accept latency (each 202) and how many results are delivered per second.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    store: { type: 'string', default: 'file' },
  },
});
const total = Number(values.jobs);
const concurrency = Number(values.concurrency);
const KEY = 'bench-service-account-key';

let delivered = 0;
let lastDelivery = 0;
let onAll = () => {};
const arena = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.headers['spiffworkflow-api-key'] !== KEY) {
      res.writeHead(401).end();
      return;
    }
    delivered += 1;
    lastDelivery = performance.now();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"ok":true,"status":"completed"}');
    if (delivered === total) onAll();
  });
});
await new Promise((r) => arena.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${arena.address().port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'cp-bench-jobs-'));
const prefix = `cp-bench-${Math.random().toString(36).slice(2, 10)}`;

// A fixed environment, so an API key or job setting in your shell does not change the figures.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CONNECTOR_')));
const child = spawn(process.execPath, [join(repo, 'packages/cli/bin/connector-proxy.js'), 'serve', '--port', '0'], {
  cwd: repo,
  env: {
    ...env,
    CONNECTOR_PROXY_LOG_FORMAT: 'off',
    CONNECTOR_PROXY_CALLBACK_ORIGINS: origin,
    CONNECTOR_PROXY_CALLBACK_API_KEY: KEY,
    CONNECTOR_PROXY_DATA_DIR: dataDir,
    ...(values.store === 'redis'
      ? { CONNECTOR_PROXY_JOBS: 'redis://127.0.0.1:6379', CONNECTOR_PROXY_JOBS_PREFIX: prefix }
      : {}),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stop = () => child.exitCode === null && child.kill('SIGKILL');
process.on('exit', stop);
const watchdog = setTimeout(() => {
  console.error('bench/jobs: took more than 120 s, stopping');
  stop();
  process.exit(1);
}, 120_000);

let output = '';
const url = await new Promise((resolve, reject) => {
  child.stdout.on('data', (chunk) => {
    output += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(output);
    if (match) resolve(match[1]);
  });
  child.once('exit', (code) => reject(new Error(`the proxy exited with ${code}: ${output}`)));
});

const body = JSON.stringify({
  seconds: 0,
  spiff__callback_url: `${origin}/v1.0/tasks/1/00000000-0000-4000-8000-000000000001/callback`,
});
const latencies = [];
const allDelivered = new Promise((resolve) => {
  onAll = resolve;
});
const started = performance.now();
let next = 0;
async function worker() {
  while (next < total) {
    next += 1;
    const t = performance.now();
    const res = await fetch(`${url}/v1/do/example/Wait`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    await res.arrayBuffer();
    latencies.push(performance.now() - t);
    if (res.status !== 202) throw new Error(`expected 202, got ${res.status}`);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const acceptedAfter = performance.now() - started;
await allDelivered;
const deliveredAfter = lastDelivery - started;
clearTimeout(watchdog);

latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
console.log(`store: ${values.store}, ${total} jobs, ${concurrency} requests in flight`);
console.log(`accept latency (202): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
console.log(
  `accepted ${total} in ${acceptedAfter.toFixed(0)} ms (${((total / acceptedAfter) * 1000).toFixed(0)} jobs/s)`,
);
console.log(
  `delivered ${delivered} in ${deliveredAfter.toFixed(0)} ms (${((delivered / deliveredAfter) * 1000).toFixed(0)} jobs/s)`,
);
stop();
arena.close();
rmSync(dataDir, { recursive: true, force: true });
if (values.store === 'redis') {
  const { Redis } = await import('ioredis');
  const client = new Redis('redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [n, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = n;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
  client.disconnect();
}
process.exit(0);
