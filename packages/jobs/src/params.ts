import type { Command } from '@connector-proxy/core';
import { RESERVED_PREFIX } from '@connector-proxy/core';

/**
 * The problems core would report for a body's parameters, found without running the command, so a
 * long-running request with bad parameters is refused at once (400) instead of in the callback.
 */
export function findParamProblems(command: Command, body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [id, p] of Object.entries(command.params)) {
    if (id.startsWith(RESERVED_PREFIX)) continue;
    const raw = Object.hasOwn(body, id) ? body[id] : undefined;
    if (raw === undefined || raw === null) {
      if (p.required) problems.push(`${id} is required`);
      continue;
    }
    const checked = p.check(raw);
    if (!checked.ok) problems.push(`${id} ${checked.problem}`);
  }
  return problems;
}
