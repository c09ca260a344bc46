import type { Command } from '@connector-proxy/core';

/** The background deadline when a command declares `longRunning: true` without its own. */
export const DEFAULT_BACKGROUND_TIMEOUT_MS = 3_600_000;

/** What a command declares about running in the background. */
export interface LongRunning {
  /** Its background deadline, in ms. */
  timeoutMs: number;
}

/** The command's `longRunning` declaration, or undefined when it runs only synchronously. */
export function longRunningOf(command: Command): LongRunning | undefined {
  const declared: unknown = 'longRunning' in command ? command.longRunning : undefined;
  if (declared === true) return { timeoutMs: DEFAULT_BACKGROUND_TIMEOUT_MS };
  if (typeof declared === 'object' && declared !== null) {
    const timeoutMs = 'timeoutMs' in declared ? declared.timeoutMs : undefined;
    return {
      timeoutMs: typeof timeoutMs === 'number' && timeoutMs > 0 ? timeoutMs : DEFAULT_BACKGROUND_TIMEOUT_MS,
    };
  }
  return undefined;
}

/** True when the command declares it may run again after a crash. */
export function isIdempotent(command: Command): boolean {
  return 'idempotent' in command && command.idempotent === true;
}
