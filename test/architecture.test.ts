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
  'packages/server': ['@connector-proxy/core'],
  'packages/cli': ['@connector-proxy/core', '@connector-proxy/server'],
  'connectors/connector-postgres': ['@connector-proxy/core'],
};

test('each package imports only what the layering allows: core nothing, server core, cli server and core, connectors core', () => {
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
