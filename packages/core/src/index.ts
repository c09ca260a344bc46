export type {
  Command,
  CommandContext,
  CommandDefinition,
  CommandOutput,
  CommandResult,
  LegacyResult,
  TaskInfo,
} from './command.js';
export { defineCommand, isCommand, isLegacyResult } from './command.js';
export type { Connector, ConnectorDefinition } from './connector.js';
export { COMMAND_NAME, CONNECTOR_NAME, defineConnector, isConnector } from './connector.js';
export type { DescribeOptions, DetailedWireParameter } from './describe.js';
export { describeCommand } from './describe.js';
export type { CommandErrorOptions, ErrorCodeName } from './errors.js';
export { CommandError, DefinitionError, ErrorCode, isCommandError } from './errors.js';
export type { Failure, Invocation, InvokeOptions } from './invoke.js';
export { DEFAULT_TIMEOUT_MS, invoke, isPlainObject, MAX_LOG_LINES, rejected } from './invoke.js';
export type { ParsedJson, ParseJsonOptions, StringifyJsonOptions } from './json.js';
export {
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_WRITE_DEPTH,
  ExactNumber,
  isExactNumber,
  isJsonObject,
  JsonError,
  parseJson,
  stringifyJson,
  toPathText,
} from './json.js';
export type {
  ArrayOptions,
  Coerced,
  Fields,
  JsonSchema,
  ObjectOf,
  ObjectOptions,
  ParamShape,
  ParamsOf,
  ParamType,
  Problem,
  RecordOptions,
  TypeOf,
  UnionOptions,
} from './param.js';
export { describeProblems, describeValue, kindOf, narrow, Param, param, shape } from './param.js';
export type {
  EnvelopeV2,
  LegacyAnswer,
  ResultFields,
  WireCommandEntry,
  WireCommandResponse,
  WireError,
  WireParameter,
} from './protocol.js';
export {
  API_KEY_HEADER,
  LIVENESS_BODY,
  RESERVED_PREFIX,
  RequestKey,
  toEnvelope,
  toWireError,
  UNAUTHORIZED_BODY,
} from './protocol.js';
export type { Registry } from './registry.js';
export { createRegistry } from './registry.js';
export type { SecretMask } from './secrets.js';
export { toMask } from './secrets.js';
