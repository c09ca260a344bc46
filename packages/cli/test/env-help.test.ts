import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type Connector, describeConfig } from '@connector-proxy/core';
import { SERVER_ENV } from '@connector-proxy/server';
import { main } from '../src/main.js';
import { createFakeIo } from './fake-io.js';
import { createHost, REPO, removeTemps, writeConnector } from './fixtures.js';

after(removeTemps);

/** Every connector bundled in the repository's connectors/ folder, imported by its package name. */
async function bundledConnectors(): Promise<Connector[]> {
  const names = readdirSync(join(REPO, 'connectors')).map(
    (dir) => JSON.parse(readFileSync(join(REPO, 'connectors', dir, 'package.json'), 'utf8')).name as string,
  );
  const modules = await Promise.all(names.map((name) => import(name) as Promise<{ default: Connector }>));
  return modules.map((m) => m.default);
}

async function help(verb: string, cwd: string) {
  const io = createFakeIo({ cwd });
  const code = await main([verb, '--help'], io);
  // Wrapped descriptions are joined again, so a check can look for whole phrases.
  const flat = io.out().replace(/\n {20,}/g, ' ');
  return { code, out: io.out(), flat, err: io.err() };
}

function lineOf(text: string, variable: string): string {
  return text.split('\n').find((line) => line.startsWith(`  ${variable} `)) ?? '';
}

for (const verb of ['serve', 'dev']) {
  test(`${verb} --help lists every variable the proxy declares, with its default`, async () => {
    const { code, flat, err } = await help(verb, REPO);
    assert.equal(code, 0);
    assert.equal(err, '');
    for (const [name, declaration] of Object.entries(SERVER_ENV)) {
      const line = lineOf(flat, name);
      assert.ok(line, `${name} is listed`);
      const defaultValue: string | undefined = 'default' in declaration ? declaration.default : undefined;
      if (defaultValue !== undefined) assert.ok(line.includes(`default: ${defaultValue}`), line);
    }
    assert.match(lineOf(flat, 'CONNECTOR_PROXY_API_KEY'), /\(secret\)$/);
    assert.match(lineOf(flat, 'CONNECTOR_PROXY_METRICS'), /Prometheus/);
  });

  test(`${verb} --help lists every variable the bundled connectors declare`, async () => {
    const { flat } = await help(verb, REPO);
    const bundled = await bundledConnectors();
    const names = bundled.map((c) => c.name).sort();
    assert.ok(names.includes('postgres_v2') && names.includes('http'));
    assert.ok(flat.includes(`Environment of the connectors found here (${names.join(', ')}):`), flat);
    const variables = bundled.flatMap((c) => describeConfig(c.name, c.services?.config));
    assert.ok(variables.length >= 5, 'the bundled connectors declare their configuration');
    for (const v of variables) {
      const line = lineOf(flat, v.variable);
      assert.ok(line, `${v.variable} is listed`);
      if (v.default !== undefined) assert.ok(line.includes(`default: ${String(v.default)}`), line);
    }
    assert.ok(lineOf(flat, 'CONNECTOR_<NAME>_<KEY>'));
  });
}

test("serve --help shows a connector's declarations from where it is run, secret ones marked", async () => {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-shop'), {
    name: 'shop-api',
    index: `import { defineConnector, defineServices, param } from '@connector-proxy/core';
import * as commands from './commands/index.js';
const services = defineServices({
  config: {
    TOKEN: param.str('Token of the shop API').secret(),
    RETRIES: param.int('How often to retry').default(3),
  },
});
export default defineConnector({ name: 'shop-api', services, commands });
`,
  });
  const { code, flat } = await help('serve', root);
  assert.equal(code, 0);
  assert.match(flat, /found here \(shop-api\):/);
  assert.match(lineOf(flat, 'CONNECTOR_SHOP_API_TOKEN'), /Token of the shop API \(str, required, secret\)$/);
  assert.match(lineOf(flat, 'CONNECTOR_SHOP_API_RETRIES'), /How often to retry \(int, default: 3\)$/);
});

test('help still answers, naming the problem, when a connector does not load or the environment is bad', async () => {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-broken'), { name: 'broken', index: 'export default 42;\n' });
  const broken = await help('serve', root);
  assert.equal(broken.code, 0);
  assert.match(broken.flat, /found here \(none \(they did not load: connector .* has no default export/);
  assert.ok(lineOf(broken.flat, 'CONNECTOR_PROXY_PORT'));

  const io = createFakeIo({ cwd: REPO, env: { CONNECTOR_PROXY_PORT: 'nope' } });
  assert.equal(await main(['dev', '--help'], io), 0);
  assert.match(io.out(), /did not load: CONNECTOR_PROXY_PORT must be a whole number/);
});
