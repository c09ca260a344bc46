export type { AppOptions, RequestLogEntry } from './app.js';
export { createApp, statusFor } from './app.js';
export type { Config } from './config.js';
export { ConfigError, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_HOST, DEFAULT_PORT, readConfig } from './config.js';
export type { ConnectObserver, EgressGuard, EgressGuardOptions, Resolver } from './egress/hook.js';
export { createEgressGuard, EGRESS_DENIED, EgressDeniedError } from './egress/hook.js';
export type { EgressDecision, EgressOptions, EgressPolicy, EgressPreset } from './egress/policy.js';
export { createEgressPolicy, METADATA_ADDRESSES, PRESET_RANGES } from './egress/policy.js';
export type { ConnectorSource, LoadedConnectors, LoadOptions } from './load.js';
export {
  BUILT_CONDITIONS,
  CONNECTOR_PACKAGE,
  DEVELOPMENT_CONDITIONS,
  discoverConnectors,
  loadConnectors,
  pickExport,
} from './load.js';
export type { RunningServer, StartOptions } from './serve.js';
export { formatLogEntry, startServer } from './serve.js';
