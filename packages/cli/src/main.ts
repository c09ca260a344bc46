import type { Io } from './io.js';
import { serveVerb } from './verbs/serve.js';

export const HELP = `Usage: connector-proxy <verb> [options]

Verbs:
  serve   serve every discovered connector over HTTP
  help    show this help

Run "connector-proxy <verb> --help" for a verb's options.
`;

type Verb = (args: string[], io: Io) => Promise<number>;

const VERBS: Record<string, Verb> = {
  serve: serveVerb,
};

/** Runs the CLI; returns the exit code and never calls process.exit. Mistakes are one line on stderr. */
export async function main(argv: string[], io: Io): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout(HELP);
    return verb === undefined ? 1 : 0;
  }
  const run = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!run) {
    io.stderr(`connector-proxy: unknown verb "${verb}"\n${HELP}`);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`connector-proxy ${verb}: ${message}\n`);
    return 1;
  }
}
