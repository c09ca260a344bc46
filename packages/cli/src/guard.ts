/**
 * Keeps a serving proxy alive when connector code lets an error escape its command: a promise
 * rejected with nobody listening, or a throw from a timer or an event handler. By default Node
 * ends the process, dropping every request in flight for one command's bug; the command itself
 * is bounded by its deadline anyway. Only the error's name and first message line are written:
 * a stack or a long message could carry a value a command was given.
 */
export function guardAgainstStrayErrors(write: (line: string) => void): void {
  process.on('unhandledRejection', (reason) => {
    write(`connector-proxy: a promise rejected outside any answer (${describe(reason)}); still serving\n`);
  });
  process.on('uncaughtException', (error) => {
    write(`connector-proxy: an error escaped a command (${describe(error)}); still serving\n`);
  });
}

function describe(reason: unknown): string {
  if (!(reason instanceof Error)) return typeof reason;
  const line = (reason.message.split('\n')[0] ?? '').slice(0, 200);
  return `${reason.name}: ${line}`;
}
