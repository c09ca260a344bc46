export type { AppOptions, RequestLogEntry } from './app.js';
export { createApp, statusFor } from './app.js';
export type { AdapterBindings } from './bindings.js';
export type { Config, EnvDeclaration, ServerVariable } from './config.js';
export {
  ConfigError,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_HOST,
  DEFAULT_PORT,
  readConfig,
  SERVER_ENV,
} from './config.js';
export type { EgressGuard } from './egress/hook.js';
export type { EgressDecision, EgressOptions, EgressPolicy, EgressPreset } from './egress/policy.js';
export { createEgressPolicy, METADATA_ADDRESSES, PRESET_RANGES } from './egress/policy.js';
export { plainText } from './home.js';
