import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { CONNECTOR_NAME } from '@connector-proxy/core';
import { parseVerbArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';
import { type Checkout, type Flavour, findCheckout, flavourOf, linkNote, scaffoldConnector } from '../scaffold.js';

export const NEW_HELP = `Usage: connector-proxy new <name> [--dir DIR] [--link | --registry]

Creates the package connector-<name>: a sample command with typed parameters, a test that
uses @connector-proxy/core/testing, a README, package.json and tsconfig.json.

Where: in ./connectors/ when the current folder has one (as this repository does; the package
is then one of its workspaces), otherwise in the current folder; --dir DIR puts it in DIR.

A package of its own depends on @connector-proxy/core and, for development, the CLI:
  --link       as file: links to the checkout of connector-proxy this CLI runs from; the
               default when it runs from one, as the packages are not on npm yet
  --registry   as version ranges from npm; the default for a CLI installed from npm

Options:
  --dir DIR    the folder to create connector-<name> in
  --link       link core and the CLI from this checkout (see above)
  --registry   take core and the CLI from npm (see above)
  -h, --help   show this help

<name> is the connector's name, as in <name>/<Command>: lowercase letters, digits, "-" or "_",
starting with a letter (e.g. smtp, google-sheets).
`;

/** `connector-proxy new`: scaffolds a connector package that passes its own test. */
export async function newVerb(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseVerbArgs(
    args,
    {
      dir: { type: 'string' },
      link: { type: 'boolean' },
      registry: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    io.stdout(NEW_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'which name? e.g. new mailer' : 'new takes one name');
  }
  if (values.link && values.registry) throw new UsageError('choose --link or --registry, not both');
  const name = positionals[0] ?? '';
  const problem = nameProblem(name);
  if (problem) {
    io.stderr(`connector-proxy new: ${problem}\n`);
    return 1;
  }
  const connectors = join(io.cwd, 'connectors');
  const parent = values.dir !== undefined ? resolve(io.cwd, values.dir) : existsSync(connectors) ? connectors : io.cwd;
  const dir = join(parent, `connector-${name}`);
  const shown = relative(io.cwd, dir) || '.';
  if (existsSync(dir)) {
    io.stderr(`connector-proxy new: ${shown} already exists; choose another name or remove it\n`);
    return 1;
  }
  const flavour = flavourOf(parent);
  const link = flavour === 'standalone' && !values.registry ? findCheckout() : undefined;
  const refused = dependencyProblem(flavour, link, values);
  if (refused) {
    io.stderr(`connector-proxy new: ${refused}\n`);
    return 1;
  }
  const files = scaffoldConnector({ name, dir, flavour, link });
  // Inside a project that formats with Biome (this repository does), the new files are written as
  // its formatter would, so the project's own checks pass right after `new`.
  formatWithProjectBiome(parent, dir);
  io.stdout(`Created connector-${name} in ${shown}:\n${files.map((f) => `  ${f}\n`).join('')}\nNext steps:\n`);
  const steps =
    flavour === 'workspace'
      ? [
          'npm install                      # from the repository root: links the new workspace',
          `add { "path": "${relative(io.cwd, dir)}" } to the references in tsconfig.json`,
          `(cd ${shown} && npm test)`,
          `npm run cli -- run ${name}/Greet --param name=Ada`,
          'npm run dev                      # serves it with the other connectors, reloading on save',
        ]
      : [
          `cd ${shown}`,
          link
            ? 'npm install                      # core and the CLI linked from the checkout; tsx, typescript from npm'
            : 'npm install                      # @connector-proxy/core, the CLI, tsx and typescript',
          'npm test',
          `npx connector-proxy run ${name}/Greet --param name=Ada`,
          'npx connector-proxy dev          # a proxy that reloads when you save',
        ];
  io.stdout(steps.map((s) => `  ${s}\n`).join(''));
  if (link) io.stdout(`\n${linkNote(link)}`);
  return 0;
}

/** Why --link or --registry cannot be honoured here, or undefined. */
function dependencyProblem(
  flavour: Flavour,
  link: Checkout | undefined,
  flags: { link?: boolean | undefined; registry?: boolean | undefined },
): string | undefined {
  if (flavour === 'workspace' && (flags.link || flags.registry)) {
    return '--link and --registry are for a package of its own; one in connectors/ is a workspace of this repository and uses its packages';
  }
  if (flags.link && !link) {
    return '--link needs this CLI to run from a checkout of connector-proxy (packages/cli beside packages/core); this one is installed';
  }
  return undefined;
}

/** Why a name cannot be a connector's name, or undefined when it can. */
function nameProblem(name: string): string | undefined {
  if (name.startsWith('connector-')) {
    return `give the name without "connector-" (e.g. new ${name.slice('connector-'.length) || 'mailer'}); the package is named connector-<name>`;
  }
  if (!CONNECTOR_NAME.test(name) || name.length > 200) {
    return `${JSON.stringify(name)} is not a valid connector name: use lowercase letters, digits, "-" or "_", starting with a letter (e.g. smtp)`;
  }
  return undefined;
}

/** Runs the project's own Biome, when there is one above `from`, to format `dir`; silent otherwise. */
function formatWithProjectBiome(from: string, dir: string): void {
  for (let at = resolve(from); ; at = dirname(at)) {
    const biome = join(at, 'node_modules', '.bin', 'biome');
    if (existsSync(biome) && existsSync(join(at, 'biome.json'))) {
      spawnSync(biome, ['format', '--write', dir], { cwd: at, stdio: 'ignore' });
      return;
    }
    if (dirname(at) === at) return;
  }
}
