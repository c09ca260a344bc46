export type {
  Command,
  CommandContext,
  CommandDefinition,
  CommandOutput,
  CommandResult,
  JsonSchema,
  LegacyResult,
  LongRunningOptions,
  ResultDeclaration,
  TaskInfo,
} from './command.js';
export {
  DEFAULT_LONG_RUNNING_TIMEOUT_MS,
  defineCommand,
  isCommand,
  isLegacyResult,
  longRunningTimeoutMs,
} from './command.js';
export type { Connector, ConnectorDefinition } from './connector.js';
export { COMMAND_NAME, CONNECTOR_NAME, defineConnector, isConnector } from './connector.js';
export type { DescribeOptions, DetailedWireParameter } from './describe.js';
export { describeCommand, describeErrors } from './describe.js';
export type { CommandErrorOptions, ErrorCodeName } from './errors.js';
export {
  CommandError,
  DefinitionError,
  EGRESS_REFUSAL,
  EgressDeniedError,
  ERROR_MEANINGS,
  ErrorCode,
  egressRefusalOf,
  isCommandError,
} from './errors.js';
export type { ModuleRequire } from './first-use.js';
export { onFirstUse } from './first-use.js';
export { failedWith, maskInvocation } from './fold.js';
export type { Failure, Invocation } from './invocation.js';
export { statusOf } from './invocation.js';
export type { InvokeOptions } from './invoke.js';
export { DEFAULT_TIMEOUT_MS, invoke, invokeNow, isPlainObject, MAX_LOG_LINES, rejected } from './invoke.js';
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
export type { OpenApiOptions } from './openapi.js';
export { toOpenApi } from './openapi.js';
export type {
  ArrayOptions,
  Coerced,
  Fields,
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
  envelopeText,
  LIVENESS_BODY,
  RESERVED_PREFIX,
  RequestKey,
  toEnvelope,
  toWireError,
  UNAUTHORIZED_BODY,
} from './protocol.js';
export type { Registry, StartRegistryOptions, Target } from './registry.js';
export { createRegistry, readConnectorValues, startRegistry } from './registry.js';
export type { SecretMask, SecretSet } from './secrets.js';
export { maskValue, toMask, toSecretSet } from './secrets.js';
export type {
  ConfigOf,
  ConfigShape,
  ConfigVariable,
  ServiceDeclaration,
  ServiceDefinition,
  ServiceHost,
} from './services.js';
export {
  configPrefix,
  defineServices,
  describeConfig,
  isServiceDefinition,
  NO_HOST,
  resolveConfig,
} from './services.js';
export type { JsonWriter, WireResponse } from './wire.js';
export { errorCodeOf, failureOf, toCallbackEnvelope, toWireResponse } from './wire.js';
