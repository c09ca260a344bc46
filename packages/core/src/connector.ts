import { type Command, isCommand } from './command.js';
import { DefinitionError } from './errors.js';
import { kindOf } from './param.js';
import { RESERVED_PREFIX } from './protocol.js';
import { type ConfigShape, isServiceDefinition, type ServiceDefinition } from './services.js';

/** A connector's name: what follows `connector-` in its package name. */
export const CONNECTOR_NAME = /^[a-z][a-z0-9_-]*$/;
/** A command's name: its export name, PascalCase, the wire name. */
export const COMMAND_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** The declaration handed to {@link defineConnector}. */
export interface ConnectorDefinition {
  /** The display name (`smtp` for `connector-smtp`). */
  name: string;
  /** One sentence about the service this connector talks to. */
  description?: string;
  /** The command exports, usually `import * as commands from './commands/index.js'`. */
  commands: Record<string, unknown>;
  /** Its configuration and lifecycle (`defineServices`); the commands that use them name the same one. */
  services?: ServiceDefinition<ConfigShape, unknown>;
}

/** A validated connector: a name and its commands by wire name. */
export interface Connector {
  readonly name: string;
  readonly description: string | undefined;
  readonly commands: ReadonlyMap<string, Command>;
  readonly services: ServiceDefinition<ConfigShape, unknown> | undefined;
}

/**
 * Declares a connector. Validates at once, so a broken connector stops startup with a clear
 * message: the name's shape, PascalCase command names, and that every export is a command.
 */
export function defineConnector(definition: ConnectorDefinition): Connector {
  const { name } = definition;
  if (typeof name !== 'string' || !CONNECTOR_NAME.test(name)) {
    throw new DefinitionError(
      `connector name ${JSON.stringify(name)} is invalid: use lowercase letters, digits, "-" or "_"`,
    );
  }
  const { services } = definition;
  if (services !== undefined && !isServiceDefinition(services)) {
    throw new DefinitionError(`connector "${name}": services must be made by defineServices (got ${kindOf(services)})`);
  }
  const commands = new Map<string, Command>();
  for (const [exportName, value] of Object.entries(definition.commands ?? {})) {
    if (!isCommand(value)) {
      throw new DefinitionError(
        `connector "${name}": export "${exportName}" is not a command made by defineCommand (got ${kindOf(value)})`,
      );
    }
    if (!COMMAND_NAME.test(exportName)) {
      throw new DefinitionError(
        `connector "${name}": command name "${exportName}" must be PascalCase (e.g. SendEmail)`,
      );
    }
    const problem = findProblem(value) ?? findServicesProblem(value, services);
    if (problem) throw new DefinitionError(`connector "${name}": command "${exportName}": ${problem}`);
    commands.set(exportName, value);
  }
  if (commands.size === 0) throw new DefinitionError(`connector "${name}" has no commands`);
  return Object.freeze({ name, description: definition.description, commands, services });
}

const PARAM_TYPES = new Set<string>(['str', 'int', 'bool', 'any']);

/** What makes a command unusable at run time, caught here so it stops startup instead. */
function findProblem(command: Command): string | undefined {
  if (typeof command.run !== 'function') return 'run must be a function';
  if (typeof command.params !== 'object' || command.params === null) return 'params must be an object';
  for (const [id, p] of Object.entries(command.params)) {
    // The protocol removes every reserved key before binding, so such a parameter could never be given.
    if (id.startsWith(RESERVED_PREFIX)) {
      return `parameter "${id}" uses the reserved prefix "${RESERVED_PREFIX}"`;
    }
    if (!isParam(p)) return `parameter "${id}" is not declared with param.str/int/bool/any/enum`;
  }
  const { timeoutMs, longRunning, errors } = command;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    return `timeoutMs must be a positive number of milliseconds, got ${String(timeoutMs)}`;
  }
  if (typeof longRunning === 'object' && longRunning !== null && longRunning.timeoutMs !== undefined) {
    const own = longRunning.timeoutMs;
    if (!(typeof own === 'number' && own > 0)) {
      return `longRunning.timeoutMs must be a positive number of milliseconds, got ${String(own)}`;
    }
  }
  if (errors !== undefined) {
    if (typeof errors !== 'object' || errors === null) return 'errors must be an object of code to meaning';
    for (const [code, meaning] of Object.entries(errors)) {
      if (!ERROR_CODE.test(code)) return `error code ${JSON.stringify(code)} must be a word such as HttpError404`;
      if (typeof meaning !== 'string' || meaning.trim() === '') return `error code ${code} needs a one-line meaning`;
    }
  }
  return undefined;
}

/** Error codes are names a BPMN error event matches exactly: letters, digits and `_`. */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_]*$/;

/** A command may only use its own connector's services, so its context holds what it expects. */
function findServicesProblem(
  command: Command,
  services: ServiceDefinition<ConfigShape, unknown> | undefined,
): string | undefined {
  if (command.services === undefined || command.services === services) return undefined;
  return services === undefined
    ? 'it names services, but the connector declares none (defineConnector({ services }))'
    : "it names services other than its connector's";
}

/** Checked by shape, not instanceof, so a Param from another copy of core is accepted. */
function isParam(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    'check' in value &&
    typeof value.check === 'function' &&
    'type' in value &&
    typeof value.type === 'string' &&
    PARAM_TYPES.has(value.type)
  );
}

/** True for a value made by {@link defineConnector} (checked by shape, across package copies). */
export function isConnector(value: unknown): value is Connector {
  return (
    typeof value === 'object' &&
    value !== null &&
    'name' in value &&
    typeof value.name === 'string' &&
    'commands' in value &&
    value.commands instanceof Map
  );
}
