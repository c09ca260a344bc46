import type { Command } from './command.js';
import type { WireCommandEntry, WireParameter } from './protocol.js';

/** Options of {@link describeCommand}. */
export interface DescribeOptions {
  /** Adds description, default, enum and secret flags (the opt-in richer listing). */
  detailed?: boolean;
}

/** One entry of `GET /v1/commands`: `type` and `required` exactly as the Python proxy derives them. */
export function describeCommand(id: string, command: Command, options: DescribeOptions = {}): WireCommandEntry {
  const parameters: WireParameter[] = Object.entries(command.params).map(([paramId, p]) => {
    const entry: WireParameter = { id: paramId, type: p.type, required: p.required };
    if (options.detailed) {
      if (p.description !== undefined) entry.description = p.description;
      if (p.hasDefault) entry.default = p.defaultValue;
      if (p.enumValues !== undefined) entry.enum = p.enumValues;
      if (p.isSecret) entry.secret = true;
    }
    return entry;
  });
  const entry: WireCommandEntry = { id, parameters };
  if (options.detailed && command.description !== undefined) entry.description = command.description;
  return entry;
}
