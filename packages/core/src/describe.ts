import type { Command } from './command.js';
import type { JsonSchema } from './param.js';
import type { WireCommandEntry, WireParameter } from './protocol.js';

/** Options of {@link describeCommand}. */
export interface DescribeOptions {
  /** Adds description, default, enum, secret flags and each parameter's JSON Schema (the richer listing). */
  detailed?: boolean;
}

/** A parameter of the detailed listing: its JSON Schema rides along. */
export type DetailedWireParameter = WireParameter & { schema?: JsonSchema };

/** One entry of `GET /v1/commands`: `type` and `required` exactly as the Python proxy derives them. */
export function describeCommand(id: string, command: Command, options: DescribeOptions = {}): WireCommandEntry {
  const parameters: WireParameter[] = Object.entries(command.params).map(([paramId, p]) => {
    const entry: DetailedWireParameter = { id: paramId, type: p.type, required: p.required };
    if (options.detailed) {
      const schema = p.schema;
      if (p.description !== undefined) entry.description = p.description;
      if (p.hasDefault) entry.default = schema.default;
      if (p.enumValues !== undefined) entry.enum = p.enumValues;
      if (p.isSecret) entry.secret = true;
      entry.schema = schema;
    }
    return entry;
  });
  const entry: WireCommandEntry = { id, parameters };
  if (options.detailed && command.description !== undefined) entry.description = command.description;
  return entry;
}
