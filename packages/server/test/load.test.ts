import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { discoverConnectors, loadConnectors, pickExport } from '../src/load.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A host project whose node_modules can see this repository's core package. */
function createHost(manifest: Record<string, unknown> = { name: 'host', private: true }): string {
  const root = mkdtempSync(join(tmpdir(), 'cp-load-'));
  temps.push(root);
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
  mkdirSync(join(root, 'node_modules', '@connector-proxy'), { recursive: true });
  symlinkSync(join(repo, 'packages/core'), join(root, 'node_modules/@connector-proxy/core'));
  return root;
}

/** Writes a connector package whose entry is TypeScript (development) or JavaScript. */
function writeConnector(
  dir: string,
  options: { name: string; packageName?: string; command?: string; source?: string },
) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: options.packageName ?? `connector-${options.name}`,
      type: 'module',
      exports: { '.': { development: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
    }),
  );
  const command = options.command ?? 'Ping';
  writeFileSync(
    join(dir, 'src/index.ts'),
    options.source ??
      `import { defineCommand, defineConnector, param } from '@connector-proxy/core';
export const ${command} = defineCommand({ params: { who: param.str() }, run: ({ who }) => ({ body: \`pong \${who}\` }) });
export default defineConnector({ name: '${options.name}', commands: { ${command} } });
`,
  );
}

test('the bundled connectors/ folder, connector dependencies and explicit specs are all discovered, once each', async () => {
  const root = createHost({
    name: 'host',
    dependencies: { 'connector-dep': '1.0.0', '@acme/connector-scoped': '1.0.0', lodash: '4' },
  });
  writeConnector(join(root, 'connectors/connector-bundled'), { name: 'bundled' });
  writeFileSync(join(root, 'connectors/README.md'), 'not a connector');
  writeConnector(join(root, 'node_modules/connector-dep'), { name: 'dep' });
  writeConnector(join(root, 'node_modules/@acme/connector-scoped'), {
    name: 'scoped',
    packageName: '@acme/connector-scoped',
  });
  writeConnector(join(root, 'elsewhere/connector-local'), { name: 'local' });
  // The same package named twice (as a dependency and explicitly) is loaded once.
  const extra = ['./elsewhere/connector-local', 'connector-dep'];

  const { registry, sources } = await loadConnectors({ root, extra });
  assert.deepEqual(
    sources.map((s) => s.name),
    ['bundled', 'dep', 'scoped', 'local'],
  );
  assert.deepEqual(
    registry.list().map((e) => e.id),
    ['bundled/Ping', 'dep/Ping', 'scoped/Ping', 'local/Ping'],
  );
});

test('a connector given as a file path is imported from that file', async () => {
  const root = createHost();
  writeConnector(join(root, 'pkg'), { name: 'file' });
  const sources = discoverConnectors({ root, extra: ['pkg/src/index.ts'] });
  assert.equal(sources.length, 1);
  assert.equal(sources[0]?.entry, join(root, 'pkg/src/index.ts'));
  const { registry } = await loadConnectors({ root, extra: ['pkg/src/index.ts'] });
  assert.ok(registry.find('file', 'Ping'));
});

test('a module without a default connector stops loading with a message naming its file', async () => {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-bad'), { name: 'bad', source: 'export const x = 1;\n' });
  await assert.rejects(loadConnectors({ root }), (error: Error) => {
    assert.equal(error.name, 'DefinitionError');
    assert.match(
      error.message,
      /connectors\/connector-bad\/src\/index\.ts has no default export made by defineConnector/,
    );
    return true;
  });
});

test('two connectors with one name stop loading with a message naming both files', async () => {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-one'), { name: 'same' });
  writeConnector(join(root, 'connectors/connector-two'), { name: 'same' });
  await assert.rejects(
    loadConnectors({ root }),
    /two connectors are named "same": .*connector-one.* and .*connector-two/,
  );
});

test('a command name that is not PascalCase stops loading with a message naming the file and export', async () => {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-camel'), { name: 'camel', command: 'sendMail' });
  await assert.rejects(loadConnectors({ root }), (error: Error) => {
    assert.match(error.message, /connector-camel\/src\/index\.ts failed to load/);
    assert.match(error.message, /sendMail/);
    assert.match(error.message, /PascalCase/);
    return true;
  });
});

test('a connector that throws while loading stops startup with its file and the reason', async () => {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-throws'), {
    name: 'throws',
    source: "throw new Error('boom at import');\n",
  });
  await assert.rejects(loadConnectors({ root }), /connector-throws\/src\/index\.ts failed to load: boom at import/);
});

test('a missing package or path is a clear startup error', async () => {
  const root = createHost();
  await assert.rejects(
    loadConnectors({ root, extra: ['connector-absent'] }),
    /connector package connector-absent is not installed/,
  );
  await assert.rejects(loadConnectors({ root, extra: ['./nowhere'] }), /connector path \.\/nowhere does not exist/);
});

test('a built package without its dist says to build it', () => {
  const root = createHost();
  writeConnector(join(root, 'connectors/connector-unbuilt'), { name: 'unbuilt' });
  assert.throws(
    () => discoverConnectors({ root, conditions: ['import', 'node'] }),
    /dist\/index\.js does not exist \(run npm run build first\)/,
  );
});

test('pickExport follows the conditions in order and falls back to default', () => {
  const exports = {
    '.': {
      development: './src/index.ts',
      types: './dist/index.d.ts',
      import: './dist/index.mjs',
      default: './dist/index.js',
    },
  };
  assert.equal(pickExport(exports, ['development', 'import']), './src/index.ts');
  assert.equal(pickExport(exports, ['import']), './dist/index.mjs');
  assert.equal(pickExport(exports, []), './dist/index.js');
  assert.equal(pickExport('./main.js', []), './main.js');
  assert.equal(pickExport({ node: { import: './n.mjs' }, default: './d.js' }, ['import', 'node']), './n.mjs');
  assert.equal(pickExport(undefined, ['import']), undefined);
});
