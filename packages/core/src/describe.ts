import type { Command } from './command.js';
import { ERROR_MEANINGS, ErrorCode } from './errors.js';
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
  if (!options.detailed) return entry;
  if (command.description !== undefined) entry.description = command.description;
  if (command.result !== undefined) entry.result = { ...command.result };
  entry.errors = describeErrors(command);
  if (command.longRunning) entry.long_running = true;
  if (command.idempotent) entry.idempotent = true;
  return entry;
}

/** The proxy's codes every command can answer with, besides its own. */
const COMMON_CODES = [ErrorCode.InvalidParameters, ErrorCode.CommandTimeout, ErrorCode.ProxyShuttingDown] as const;

/** The command's declared error codes, then the proxy's own that any command may answer. */
export function describeErrors(command: Command): { code: string; description: string }[] {
  const own = Object.entries(command.errors ?? {}).map(([code, description]) => ({ code, description }));
  const common = COMMON_CODES.filter((code) => !Object.hasOwn(command.errors ?? {}, code)).map((code) => ({
    code,
    description: ERROR_MEANINGS[code],
  }));
  return [...own, ...common];
}
