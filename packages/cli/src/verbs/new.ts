import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { CONNECTOR_NAME } from '@connector-proxy/core';
import { parseVerbArgs, UsageError } from '../args.js';
import type { Io } from '../io.js';
import { flavourOf, scaffoldConnector } from '../scaffold.js';

export const NEW_HELP = `Usage: connector-proxy new <name> [--dir DIR]

Creates the package connector-<name>: a sample command with typed parameters, a test that
uses @connector-proxy/core/testing, a README, package.json and tsconfig.json.

Where: in ./connectors/ when the current folder has one (as this repository does),
otherwise in the current folder; --dir DIR puts it in DIR.

Options:
  --dir DIR    the folder to create connector-<name> in
  -h, --help   show this help

<name> is the connector's name, as in <name>/<Command>: lowercase letters, digits, "-" or "_",
starting with a letter (e.g. smtp, google-sheets).
`;

/** `connector-proxy new`: scaffolds a connector package that passes its own test. */
export async function newVerb(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseVerbArgs(
    args,
    { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    io.stdout(NEW_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'which name? e.g. new smtp' : 'new takes one name');
  }
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
  const files = scaffoldConnector({ name, dir, flavour });
  io.stdout(`Created connector-${name} in ${shown}:\n${files.map((f) => `  ${f}\n`).join('')}\nNext steps:\n`);
  const steps =
    flavour === 'workspace'
      ? [
          'npm install                      # from the repository root: links the new workspace',
          `add { "path": "${relative(io.cwd, dir)}" } to the references in tsconfig.json`,
          `(cd ${shown} && npm test)`,
          `node --conditions=development --import tsx packages/cli/src/bin.ts run ${name}/Greet --param name=Ada`,
          'npm run dev                      # serves it with the other connectors, reloading on save',
        ]
      : [
          `cd ${shown}`,
          'npm install                      # @connector-proxy/core, the CLI, tsx and typescript',
          'npm test',
          `npx connector-proxy run ${name}/Greet --param name=Ada`,
          'npx connector-proxy dev          # a proxy that reloads when you save',
        ];
  io.stdout(steps.map((s) => `  ${s}\n`).join(''));
  return 0;
}

/** Why a name cannot be a connector's name, or undefined when it can. */
function nameProblem(name: string): string | undefined {
  if (name.startsWith('connector-')) {
    return `give the name without "connector-" (e.g. new ${name.slice('connector-'.length) || 'smtp'}); the package is named connector-<name>`;
  }
  if (!CONNECTOR_NAME.test(name) || name.length > 200) {
    return `${JSON.stringify(name)} is not a valid connector name: use lowercase letters, digits, "-" or "_", starting with a letter (e.g. smtp)`;
  }
  return undefined;
}
