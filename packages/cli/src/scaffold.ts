import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isPlainObject } from '@connector-proxy/core';

/** The template files (src, test, README): real TypeScript, with `{{name}}` where the name goes. */
const TEMPLATE_DIR = fileURLToPath(new URL('../templates/connector/', import.meta.url));

/** Versions an external connector is set up with; core's comes from this CLI's own manifest. */
const TOOL_VERSIONS = { typescript: '~5.9.3', '@types/node': '^20.19.0', tsx: '^4.23.15' } as const;

/** How the new package fits in: a workspace of this monorepo, or a package of its own. */
export type Flavour = 'workspace' | 'standalone';

/** The checkout of this repository that a CLI run from its sources belongs to. */
export interface Checkout {
  /** packages/core, an absolute path. */
  core: string;
  /** packages/cli, an absolute path. */
  cli: string;
}

/** What {@link scaffoldConnector} needs. */
export interface ScaffoldOptions {
  /** The connector's name, as in `<name>/<Command>`. */
  name: string;
  /** The folder to create (`.../connector-<name>`); must not exist. */
  dir: string;
  flavour: Flavour;
  /** For a standalone package: depend on this checkout's core and CLI with `file:` links, not on npm. */
  link?: Checkout | undefined;
}

/** Writes a new connector package; returns the files written, relative to its folder. */
export function scaffoldConnector({ name, dir, flavour, link }: ScaffoldOptions): string[] {
  const written: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text, { flag: 'wx' });
    written.push(path);
  };
  write('package.json', `${JSON.stringify(packageJson(name, flavour, link), null, 2)}\n`);
  write('tsconfig.json', `${JSON.stringify(tsconfigJson(flavour), null, 2)}\n`);
  for (const path of listFiles(TEMPLATE_DIR)) {
    const text = readFileSync(join(TEMPLATE_DIR, path), 'utf8').replaceAll('{{name}}', name);
    // npm leaves .gitignore files out of published packages, so the template ships it as "gitignore".
    write(basename(path) === 'gitignore' ? join(dirname(path), '.gitignore') : path, text);
  }
  return written;
}

/** `workspace` when the folder is `<repo>/connectors/` of a checkout of this monorepo. */
export function flavourOf(parent: string): Flavour {
  const repo = dirname(parent);
  return basename(parent) === 'connectors' &&
    existsSync(join(repo, 'tsconfig.base.json')) &&
    existsSync(join(repo, 'packages', 'core', 'package.json'))
    ? 'workspace'
    : 'standalone';
}

/**
 * The checkout this CLI runs from (packages/cli beside packages/core), or undefined when it is an
 * installed package: our packages are not on npm yet, so a new connector can link to a checkout.
 */
export function findCheckout(cliDir = fileURLToPath(new URL('..', import.meta.url))): Checkout | undefined {
  const cli = realpathSync(cliDir);
  const core = join(dirname(cli), 'core');
  if (cli.split(sep).includes('node_modules')) return undefined;
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(core, 'package.json'), 'utf8'));
    return isPlainObject(manifest) && manifest.name === '@connector-proxy/core' ? { core, cli } : undefined;
  } catch {
    return undefined;
  }
}

function packageJson(name: string, flavour: Flavour, link: Checkout | undefined): Record<string, unknown> {
  const versions = ownVersions();
  const common = {
    name: `connector-${name}`,
    version: '0.1.0',
    description: `SpiffArena connector proxy commands for ${name}.`,
    type: 'module',
    keywords: ['spiffworkflow', 'spiffarena', 'connector-proxy', 'connector'],
    exports: {
      '.': { development: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    },
    files: ['dist', 'src'],
  };
  if (flavour === 'workspace') {
    return {
      ...common,
      license: 'MIT',
      scripts: { test: 'node --conditions=development --import tsx --test test/*.test.ts' },
      dependencies: { '@connector-proxy/core': versions.core },
    };
  }
  return {
    ...common,
    scripts: {
      build: 'tsc',
      test: 'node --conditions=development --import tsx --test test/*.test.ts',
      dev: 'connector-proxy dev',
      prepublishOnly: 'npm run build && npm test',
    },
    dependencies: { '@connector-proxy/core': link ? `file:${link.core}` : `^${versions.core}` },
    devDependencies: {
      '@connector-proxy/cli': link ? `file:${link.cli}` : `^${versions.cli}`,
      '@types/node': TOOL_VERSIONS['@types/node'],
      tsx: TOOL_VERSIONS.tsx,
      typescript: TOOL_VERSIONS.typescript,
    },
  };
}

function tsconfigJson(flavour: Flavour): Record<string, unknown> {
  if (flavour === 'workspace') {
    return {
      extends: '../../tsconfig.base.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist' },
      include: ['src'],
      references: [{ path: '../../packages/core' }],
    };
  }
  return {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      isolatedModules: true,
      skipLibCheck: true,
      declaration: true,
      sourceMap: true,
      rootDir: 'src',
      outDir: 'dist',
      types: ['node'],
    },
    include: ['src'],
  };
}

/** What to tell the author of a package made with {@link Checkout} links: they are not for publishing. */
export function linkNote(link: Checkout): string {
  const { core, cli } = ownVersions();
  return `Note: @connector-proxy/core and @connector-proxy/cli are not on npm yet, so package.json
links them to this checkout, which must stay where it is (npm install and npm run build there):
  "@connector-proxy/core": "file:${link.core}"
  "@connector-proxy/cli": "file:${link.cli}"
Before publishing, change them to "^${core}" and "^${cli}", or the package will not install
anywhere else ("new --registry" writes those ranges from the start).
`;
}

/** This CLI's version and the versions it depends on, so a new connector matches it. */
function ownVersions(): { cli: string; core: string } {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const field = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const deps = isPlainObject(manifest) && isPlainObject(manifest.dependencies) ? manifest.dependencies : {};
  const cli = field(isPlainObject(manifest) ? manifest.version : undefined, '0.1.0');
  return {
    cli,
    core: field(deps['@connector-proxy/core'], cli).replace(/^[\^~]/, ''),
  };
}

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path)];
    });
}
