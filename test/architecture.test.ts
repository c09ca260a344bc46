import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g);
  return [...found].map((m) => m[1] ?? m[2] ?? '');
}

/** Our own packages a specifier points at: @connector-proxy/<x> or connector-<x>. */
function ourPackage(specifier: string): string | undefined {
  const match = /^(@connector-proxy\/[a-z]+|connector-[a-z0-9-]+)/.exec(specifier);
  return match?.[1];
}

const packages = [
  ...readdirSync(join(repo, 'packages')).map((name) => join('packages', name)),
  ...readdirSync(join(repo, 'connectors')).map((name) => join('connectors', name)),
].filter((dir) => statSync(join(repo, dir, 'src'), { throwIfNoEntry: false })?.isDirectory());

const allowed: Record<string, string[]> = {
  'packages/core': [],
  'packages/jobs': ['@connector-proxy/core'],
  'packages/server': ['@connector-proxy/core', '@connector-proxy/jobs'],
  'packages/cli': ['@connector-proxy/core', '@connector-proxy/server', '@connector-proxy/conformance'],
  // The kit judges any proxy, so it trusts none of our code.
  'packages/conformance': [],
  'connectors/connector-postgres': ['@connector-proxy/core'],
};

test('each package imports only what the layering allows: core and the kit nothing, jobs core, server jobs and core, cli server, core and the kit, connectors core', () => {
  const violations: string[] = [];
  for (const dir of packages) {
    const may = allowed[dir] ?? ['@connector-proxy/core'];
    for (const file of sourceFiles(join(repo, dir, 'src'))) {
      for (const specifier of importsOf(file)) {
        const target = ourPackage(specifier);
        if (target && !may.includes(target)) violations.push(`${relative(repo, file)} imports ${specifier}`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('no command file imports its own package index (an import cycle)', () => {
  const violations: string[] = [];
  for (const dir of packages.filter((d) => d.startsWith('connectors/'))) {
    const commands = join(repo, dir, 'src/commands');
    if (!statSync(commands, { throwIfNoEntry: false })) continue;
    for (const file of sourceFiles(commands)) {
      for (const specifier of importsOf(file)) {
        if (/^\.\.\/index(\.js)?$/.test(specifier) || /^\.\.\/\.\.\/src\/index/.test(specifier)) {
          violations.push(`${relative(repo, file)} imports ${specifier}`);
        }
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('every package declares the packages of ours it imports', () => {
  const missing: string[] = [];
  for (const dir of packages) {
    const manifest = JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8'));
    const declared = new Set(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }));
    for (const file of sourceFiles(join(repo, dir, 'src'))) {
      for (const specifier of importsOf(file)) {
        const target = ourPackage(specifier);
        if (target && target !== manifest.name && !declared.has(target)) missing.push(`${dir} uses ${target}`);
      }
    }
  }
  assert.deepEqual([...new Set(missing)], []);
});

test('the layering check sees real imports (it would catch a violation)', () => {
  assert.ok(packages.includes('packages/server'));
  const serverImports = sourceFiles(join(repo, 'packages/server/src')).flatMap(importsOf);
  assert.ok(serverImports.includes('@connector-proxy/core'));
});

/** Specifiers a file keeps at run time: `import type` and `export type` are erased, anything else stays. */
function runtimeImportsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s+(type\s+)?[^'";=]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  );
  return [...found].filter((m) => m[1] === undefined).map((m) => m[2] ?? m[3] ?? m[4] ?? '');
}

/** The TypeScript source a specifier loads when it is ours (relative, or a package of ours through its development export). */
function sourceOf(specifier: string, from: string): string | undefined {
  if (specifier.startsWith('.')) return resolve(dirname(from), specifier.replace(/\.js$/, '.ts'));
  const target = ourPackage(specifier);
  const dir = packages.find((d) => {
    const manifest = JSON.parse(readFileSync(join(repo, d, 'package.json'), 'utf8'));
    return manifest.name === target;
  });
  if (!target || !dir) return undefined;
  const manifest = JSON.parse(readFileSync(join(repo, dir, 'package.json'), 'utf8'));
  const subpath = `.${specifier.slice(target.length)}`;
  const entry = manifest.exports?.[subpath]?.development;
  return typeof entry === 'string' ? join(repo, dir, entry) : undefined;
}

/** Every module an entry loads at run time, following our own files and packages; `path` is how it was reached. */
function runtimeGraph(entry: string): { specifier: string; path: string[] }[] {
  const seen = new Set<string>();
  const out: { specifier: string; path: string[] }[] = [];
  const visit = (file: string, path: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of runtimeImportsOf(file)) {
      const here = [...path, relative(repo, file)];
      out.push({ specifier, path: here });
      const next = sourceOf(specifier, file);
      if (next) visit(next, here);
    }
  };
  visit(entry, []);
  return out;
}

/** Node I/O, the Node server and the TypeScript loader: what a runtime-free app must not load. */
const NODE_IO =
  /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process)$|^tsx(\/|$)|^@hono\/node-server|^hono\/aws-lambda/;

test("the server's main entry (createApp, readConfig) loads no fs, net or http module, no Node server and no tsx", () => {
  const graph = runtimeGraph(join(repo, 'packages/server/src/index.ts'));
  const violations = graph
    .filter((i) => NODE_IO.test(i.specifier))
    .map((i) => `${i.path.join(' -> ')} imports ${i.specifier}`);
  assert.deepEqual(violations, []);
  // The walk reaches the app and through it core, so a forbidden import there would be seen.
  const files = new Set(graph.flatMap((i) => i.path));
  assert.ok(files.has('packages/server/src/app.ts'));
  assert.ok(files.has('packages/core/src/index.ts'));
});

test('the import walk sees Node I/O where it is (the node and lambda entries load fs, tsx and an adapter)', () => {
  const node = runtimeGraph(join(repo, 'packages/server/src/node.ts')).map((i) => i.specifier);
  assert.ok(node.includes('node:fs'));
  assert.ok(node.includes('tsx/esm/api'));
  assert.ok(node.includes('@hono/node-server'));
  const lambda = runtimeGraph(join(repo, 'packages/server/src/lambda.ts')).map((i) => i.specifier);
  assert.ok(lambda.includes('hono/aws-lambda'));
});
