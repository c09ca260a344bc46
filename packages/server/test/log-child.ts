// A proxy in a child process for the log writer's tests: serves with the text request log on
// stdout (the default buffered writer), answers COUNT requests, then ends as MODE says:
// `close` (graceful), `exit` (process.exit at once), `crash` (an uncaught exception).
import { createRegistry, defineCommand, defineConnector, param } from '@connector-proxy/core';
import { readConfig } from '../src/config.js';
import { startServer } from '../src/serve.js';

const [mode = 'close', count = '100'] = process.argv.slice(2);

const Echo = defineCommand({ params: { n: param.int() }, run: ({ n }) => ({ body: { n } }) });
const registry = createRegistry([defineConnector({ name: 'test', commands: { Echo } })]);
const server = await startServer(
  readConfig({
    CONNECTOR_PROXY_PORT: '0',
    CONNECTOR_PROXY_LOG_FORMAT: 'text',
    CONNECTOR_PROXY_SHUTDOWN_GRACE_MS: '1000',
  }),
  registry,
);
for (let n = 0; n < Number(count); n += 1) {
  const res = await fetch(`${server.url}/v1/do/test/Echo`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ n }),
  });
  await res.arrayBuffer();
}
if (mode === 'exit') process.exit(0);
if (mode === 'crash') throw new Error('the proxy crashed on purpose');
await server.close();
