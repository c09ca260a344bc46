import { readFileSync } from 'node:fs';
import { UsageError } from './args.js';
import type { Io } from './io.js';
import { UnknownCommandError } from './lookup.js';

export const HELP = `Usage: connector-proxy <verb> [options]

A SpiffArena connector proxy: serves connector packages' commands over HTTP.

Verbs:
  serve        serve every discovered connector over HTTP
  dev          serve, and reload a connector when its source changes
  list         list the commands of the discovered connectors
  describe     show one command's parameters, result and error codes, e.g. describe example/Example
  run          run one command, e.g. run example/Example --param message=hi
  new          create a connector package, e.g. new mailer
  openapi      print the OpenAPI 3.1 document of the commands
  jobs         list a running proxy's long-running jobs; deliver undeliverable ones again
  conformance  check any running proxy against the protocol, e.g. conformance http://127.0.0.1:7004
  help         show this help

Options:
  -h, --help      show this help
  -v, --version   show the version

Run "connector-proxy <verb> --help" for a verb's options.
`;

type Verb = (args: string[], io: Io) => Promise<number>;

/**
 * Each verb's module is loaded when that verb runs: \`serve\` does not load the conformance kit,
 * the scaffolder or the job client, which keeps start-up short.
 */
const VERBS: Record<string, Verb> = {
  serve: async (args, io) => (await import('./verbs/serve.js')).serveVerb(args, io),
  dev: async (args, io) => (await import('./verbs/dev.js')).devVerb(args, io),
  list: async (args, io) => (await import('./verbs/list.js')).listVerb(args, io),
  describe: async (args, io) => (await import('./verbs/describe.js')).describeVerb(args, io),
  run: async (args, io) => (await import('./verbs/run.js')).runVerb(args, io),
  new: async (args, io) => (await import('./verbs/new.js')).newVerb(args, io),
  openapi: async (args, io) => (await import('./verbs/openapi.js')).openapiVerb(args, io),
  jobs: async (args, io) => (await import('./verbs/jobs.js')).jobsVerb(args, io),
  conformance: async (args, io) => (await import('./verbs/conformance.js')).conformanceVerb(args, io),
};

/**
 * Runs the CLI and returns the exit code: 0 done, 1 failed, 2 called wrongly. Never calls
 * process.exit; mistakes are one line on stderr.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout(HELP);
    return verb === undefined ? 1 : 0;
  }
  if (verb === '--version' || verb === '-v') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const run = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!run) {
    const what = verb.startsWith('-') ? `unknown option ${verb}` : `unknown verb ${JSON.stringify(verb)}`;
    io.stderr(`connector-proxy: ${what} (verbs: ${Object.keys(VERBS).join(', ')}; see connector-proxy --help)\n`);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof UnknownCommandError) {
      io.stderr(`connector-proxy ${verb}: ${message}\n`);
      return 1;
    }
    if (error instanceof UsageError) {
      io.stderr(`connector-proxy ${verb}: ${message} (see connector-proxy ${verb} --help)\n`);
      return 2;
    }
    io.stderr(`connector-proxy ${verb}: ${message}\n`);
    return 1;
  }
}

function version(): string {
  const manifest: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof manifest === 'object' && manifest !== null && 'version' in manifest ? String(manifest.version) : '';
}
