import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whose node_modules hold core, server, tsx and typescript. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const temps: string[] = [];

/** A fresh folder outside the repository; removed by {@link removeTemps}. */
export function makeTemp(prefix = 'cp-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A host project (a folder with package.json) whose node_modules can see this repository's packages. */
export function createHost(manifest: Record<string, unknown> = { name: 'host', private: true }): string {
  const root = makeTemp('cp-host-');
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules/@connector-proxy'), join(root, 'node_modules/@connector-proxy'));
  return root;
}

/** Writes files below a folder: `{ 'src/index.ts': '...' }`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Options of {@link writeConnector}. */
export interface ConnectorFixture {
  /** The connector's name (`defineConnector({ name })`). */
  name: string;
  /** The package name; `connector-<name>` by default. */
  packageName?: string;
  /** Command files by export name: the body of `defineCommand({...})`. */
  commands?: Record<string, string>;
  /** Replaces src/index.ts. */
  index?: string;
  /** Replaces src/commands/index.ts. */
  commandsIndex?: string;
}

/** Writes a TypeScript connector package shaped like the scaffold: src/index.ts, src/commands/*.ts. */
export function writeConnector(dir: string, fixture: ConnectorFixture): void {
  const commands = fixture.commands ?? {
    Ping: `{ description: 'Answers pong.', params: { who: param.str('Who pings') }, run: ({ who }) => ({ body: \`pong \${who}\` }) }`,
  };
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: fixture.packageName ?? `connector-${fixture.name}`,
      version: '1.0.0',
      type: 'module',
      exports: { '.': { development: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
      dependencies: { '@connector-proxy/core': '^0.1.0' },
    }),
    'src/index.ts':
      fixture.index ??
      `import { defineConnector } from '@connector-proxy/core';
import * as commands from './commands/index.js';
export default defineConnector({ name: '${fixture.name}', commands });
`,
    'src/commands/index.ts':
      fixture.commandsIndex ??
      Object.keys(commands)
        .map((name) => `export { ${name} } from './${name.toLowerCase()}.js';\n`)
        .join(''),
  };
  for (const [name, definition] of Object.entries(commands)) {
    files[`src/commands/${name.toLowerCase()}.ts`] =
      `import { CommandError, defineCommand, param } from '@connector-proxy/core';
export const ${name} = defineCommand(${definition});
`;
  }
  writeFiles(dir, files);
}
