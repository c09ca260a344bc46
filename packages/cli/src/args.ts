import { type ParseArgsConfig, parseArgs } from 'node:util';

/** A mistake in how the CLI was called; `main` prints it as one line and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a verb's arguments strictly; node's long messages about unknown or ambiguous options
 * become one short line.
 */
export function parseVerbArgs<const O extends Options>(
  args: string[],
  options: O,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(toOneLine(error));
  }
}

function toOneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) return `unknown option ${unknown[1]}`;
  const ambiguous = /Option '([^']+)' argument is ambiguous/.exec(message);
  if (ambiguous)
    return `option ${ambiguous[1]} needs a value; for one that starts with "-" write ${ambiguous[1]}=VALUE`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) return `unexpected argument ${JSON.stringify(positional[1])}`;
  return message.split('\n')[0] ?? message;
}
