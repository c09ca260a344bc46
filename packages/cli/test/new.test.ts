import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { main } from '../src/main.js';
import { findCheckout } from '../src/scaffold.js';
import { createFakeIo } from './fake-io.js';
import { makeTemp, REPO, removeTemps } from './fixtures.js';

const exec = promisify(execFile);
after(removeTemps);

/** A folder outside the repository whose node_modules is this repository's (as `npm install` would give). */
function externalProject(): string {
  const dir = makeTemp('cp-new-');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

test('new creates a standalone connector package, linked to this checkout, whose own test passes', async () => {
  const cwd = externalProject();
  const io = createFakeIo({ cwd });
  assert.equal(await main(['new', 'weather'], io), 0);
  const dir = join(cwd, 'connector-weather');
  for (const file of [
    'package.json',
    'tsconfig.json',
    'README.md',
    '.gitignore',
    'src/index.ts',
    'src/commands/index.ts',
    'src/commands/greet.ts',
    'test/greet.test.ts',
  ]) {
    assert.ok(existsSync(join(dir, file)), file);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'connector-weather');
  assert.equal(manifest.type, 'module');
  assert.deepEqual(manifest.exports['.'], {
    development: './src/index.ts',
    types: './dist/index.d.ts',
    default: './dist/index.js',
  });
  assert.equal(manifest.scripts.test, 'node --conditions=development --import tsx --test test/*.test.ts');
  assert.equal(manifest.dependencies['@connector-proxy/core'], `file:${join(REPO, 'packages/core')}`);
  assert.equal(manifest.devDependencies['@connector-proxy/cli'], `file:${join(REPO, 'packages/cli')}`);
  assert.match(manifest.devDependencies.tsx, /^\^\d/);
  assert.match(manifest.devDependencies.typescript, /^~\d/);
  assert.match(readFileSync(join(dir, 'src/index.ts'), 'utf8'), /name: 'weather'/);
  assert.match(readFileSync(join(dir, 'README.md'), 'utf8'), /^# connector-weather\n/);
  for (const file of ['README.md', 'src/index.ts', 'src/commands/index.ts', 'test/greet.test.ts']) {
    assert.doesNotMatch(readFileSync(join(dir, file), 'utf8'), /\{\{|NAME/, `${file} has no placeholder left`);
  }
  assert.match(io.out(), /Created connector-weather in connector-weather:/);
  assert.match(io.out(), /npx connector-proxy run weather\/Greet --param name=Ada/);
  assert.match(io.out(), /not on npm yet, so package.json\nlinks them to this checkout/);
  assert.match(io.out(), /Before publishing, change them to "\^0\.1\.0" and "\^0\.1\.0"/);

  // Without NODE_TEST_CONTEXT the child runner reports in TAP rather than to this runner.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const { stdout } = await exec('npm', ['test', '--silent'], { cwd: dir, env });
  assert.match(stdout, /# pass 5\n# fail 0/);
});

test('new --registry writes version ranges from npm, and says nothing of links', async () => {
  const cwd = makeTemp();
  const io = createFakeIo({ cwd });
  assert.equal(await main(['new', 'weather', '--registry'], io), 0);
  const manifest = JSON.parse(readFileSync(join(cwd, 'connector-weather/package.json'), 'utf8'));
  assert.match(manifest.dependencies['@connector-proxy/core'], /^\^\d+\.\d+\.\d+$/);
  assert.match(manifest.devDependencies['@connector-proxy/cli'], /^\^\d+\.\d+\.\d+$/);
  assert.doesNotMatch(io.out(), /file:|Note:/);
});

test('findCheckout finds packages/core beside the CLI, and nothing for a CLI installed in node_modules', () => {
  assert.deepEqual(findCheckout(join(REPO, 'packages/cli')), {
    core: join(REPO, 'packages/core'),
    cli: join(REPO, 'packages/cli'),
  });
  const installed = makeTemp();
  mkdirSync(join(installed, 'node_modules/@connector-proxy/cli'), { recursive: true });
  mkdirSync(join(installed, 'node_modules/@connector-proxy/core'));
  writeFileSync(join(installed, 'node_modules/@connector-proxy/core/package.json'), '{"name":"@connector-proxy/core"}');
  assert.equal(findCheckout(join(installed, 'node_modules/@connector-proxy/cli')), undefined);
  assert.equal(findCheckout(makeTemp()), undefined);
});

test('--link and --registry together are a usage error; either one for a workspace is refused', async () => {
  const both = createFakeIo({ cwd: makeTemp() });
  assert.equal(await main(['new', 'crm', '--link', '--registry'], both), 2);
  assert.match(both.err(), /choose --link or --registry, not both/);
  const cwd = makeTemp();
  mkdirSync(join(cwd, 'connectors'));
  mkdirSync(join(cwd, 'packages/core'), { recursive: true });
  writeFileSync(join(cwd, 'packages/core/package.json'), '{}');
  writeFileSync(join(cwd, 'tsconfig.base.json'), '{}');
  const io = createFakeIo({ cwd });
  assert.equal(await main(['new', 'crm', '--link'], io), 1);
  assert.match(io.err(), /for a package of its own/);
  assert.equal(existsSync(join(cwd, 'connectors/connector-crm')), false);
});

test("the bin runs from this checkout's sources without a build, inside a linked connector", async () => {
  const cwd = externalProject();
  assert.equal(await main(['new', 'linked'], createFakeIo({ cwd })), 0);
  const bin = join(REPO, 'packages/cli/bin/connector-proxy.js');
  const { stdout } = await exec(process.execPath, [bin, 'run', 'linked/Greet', '--param', 'name=Ada'], {
    cwd: join(cwd, 'connector-linked'),
  });
  assert.match(stdout, /^ok linked\/Greet\n/);
  assert.match(stdout, /"message": "Hello, Ada!"/);
});

test("a linked connector installs from npm's cache alone and passes its test with the installed bin", async (t) => {
  const cwd = makeTemp();
  assert.equal(await main(['new', 'offline', '--dir', cwd], createFakeIo({ cwd })), 0);
  const dir = join(cwd, 'connector-offline');
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  try {
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, env });
  } catch (error) {
    if (/ENOTCACHED/.test(String((error as { stderr?: unknown }).stderr))) {
      t.skip("tsx, typescript or @types/node is not in npm's cache");
      return;
    }
    throw error;
  }
  const { stdout } = await exec('npm', ['test', '--silent'], { cwd: dir, env });
  assert.match(stdout, /# pass 5\n# fail 0/);
  const list = await exec('npx', ['--no-install', 'connector-proxy', 'list'], { cwd: dir, env });
  assert.match(list.stdout, /^offline\/Greet\s/m);
});

test("the new connector type-checks with its own tsconfig against core's published types", async (t) => {
  if (!existsSync(join(REPO, 'packages/core/dist/index.d.ts'))) {
    t.skip('core is not built (npx tsc -b packages/core)');
    return;
  }
  const cwd = externalProject();
  assert.equal(await main(['new', 'typed'], createFakeIo({ cwd })), 0);
  const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
  await exec(process.execPath, [tsc, '--noEmit', '-p', join(cwd, 'connector-typed')]);
});

test('inside a new connector, list and run find it with no configuration', async () => {
  const cwd = externalProject();
  assert.equal(await main(['new', 'greeter'], createFakeIo({ cwd })), 0);
  const inside = join(cwd, 'connector-greeter');
  const list = createFakeIo({ cwd: inside });
  assert.equal(await main(['list'], list), 0);
  assert.match(
    list.out(),
    /^greeter\/Greet\s+name: str, greeting\?: str, times\?: int, shout\?: bool\s+Greet someone/m,
  );
  const run = createFakeIo({ cwd: inside });
  assert.equal(await main(['run', 'greeter/Greet', '--param', 'name=Ada', '--param', 'times=2'], run), 0);
  assert.match(run.out(), /"message": "Hello, Ada! Hello, Ada!"/);
});

test('new goes into ./connectors when the current folder has one, as in this repository', async () => {
  const cwd = makeTemp();
  mkdirSync(join(cwd, 'connectors'));
  const io = createFakeIo({ cwd });
  assert.equal(await main(['new', 'billing'], io), 0);
  assert.ok(existsSync(join(cwd, 'connectors/connector-billing/src/commands/greet.ts')));
  assert.match(io.out(), /in connectors\/connector-billing:/);
});

test("in a checkout of this monorepo the new package is a workspace that extends the repo's compiler flags", async () => {
  const cwd = makeTemp();
  mkdirSync(join(cwd, 'connectors'));
  mkdirSync(join(cwd, 'packages/core'), { recursive: true });
  writeFileSync(join(cwd, 'packages/core/package.json'), '{}');
  writeFileSync(join(cwd, 'tsconfig.base.json'), '{}');
  const io = createFakeIo({ cwd });
  assert.equal(await main(['new', 'billing'], io), 0);
  const dir = join(cwd, 'connectors/connector-billing');
  const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'));
  assert.equal(tsconfig.extends, '../../tsconfig.base.json');
  assert.deepEqual(tsconfig.references, [{ path: '../../packages/core' }]);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.match(manifest.dependencies['@connector-proxy/core'], /^\d/);
  assert.equal(manifest.devDependencies, undefined);
  assert.match(io.out(), /npm run cli -- run billing\/Greet --param name=Ada/);
  assert.match(io.out(), /to the references in tsconfig.json/);
});

test('--dir puts the package in the given folder', async () => {
  const cwd = makeTemp();
  mkdirSync(join(cwd, 'connectors'));
  assert.equal(await main(['new', 'crm', '--dir', 'elsewhere'], createFakeIo({ cwd })), 0);
  assert.ok(existsSync(join(cwd, 'elsewhere/connector-crm/package.json')));
  assert.ok(!existsSync(join(cwd, 'connectors/connector-crm')));
});

test('an invalid name is refused with a clear message and exit 1, creating nothing', async () => {
  for (const name of ['Weather', '1password', 'my connector', 'x/y', '-x', 'connector-smtp']) {
    const cwd = makeTemp();
    const io = createFakeIo({ cwd });
    const code = await main(['new', '--', name], io);
    assert.equal(code, 1, name);
    assert.match(io.err(), /^connector-proxy new: .*(not a valid connector name|without "connector-")/, name);
    assert.equal(existsSync(join(cwd, `connector-${name}`)), false);
  }
});

test('an existing folder is refused with exit 1 and left untouched', async () => {
  const cwd = makeTemp();
  mkdirSync(join(cwd, 'connector-weather'));
  writeFileSync(join(cwd, 'connector-weather/keep.txt'), 'mine');
  const io = createFakeIo({ cwd });
  assert.equal(await main(['new', 'weather'], io), 1);
  assert.equal(io.err(), 'connector-proxy new: connector-weather already exists; choose another name or remove it\n');
  assert.equal(readFileSync(join(cwd, 'connector-weather/keep.txt'), 'utf8'), 'mine');
});

test('new without a name is a usage error, exit 2', async () => {
  const io = createFakeIo({ cwd: makeTemp() });
  assert.equal(await main(['new'], io), 2);
  assert.match(io.err(), /which name\?/);
});

test('new inside a checkout that formats with Biome writes files its check accepts', async () => {
  // A checkout of our layout, with this repository's Biome and its configuration.
  const root = makeTemp();
  mkdirSync(join(root, 'connectors'));
  mkdirSync(join(root, 'packages', 'core'), { recursive: true });
  writeFileSync(join(root, 'packages', 'core', 'package.json'), '{"name": "@connector-proxy/core"}\n');
  writeFileSync(join(root, 'tsconfig.base.json'), '{}\n');
  writeFileSync(join(root, 'biome.json'), readFileSync(join(REPO, 'biome.json')));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  const io = createFakeIo({ cwd: root });
  assert.equal(await main(['new', 'formatted'], io), 0, io.err());
  const biome = join(REPO, 'node_modules', '.bin', 'biome');
  await promisify(execFile)(biome, ['check', 'connectors/connector-formatted'], { cwd: root });
});
