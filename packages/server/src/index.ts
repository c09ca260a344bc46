export type { AppOptions, RequestLogEntry } from './app.js';
export { createApp, statusFor } from './app.js';
export type { ClusterOptions } from './cluster.js';
export { runCluster } from './cluster.js';
export type { Config } from './config.js';
export { ConfigError, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_HOST, DEFAULT_PORT, readConfig } from './config.js';
export type { ConnectorSource, LoadedConnectors, LoadOptions } from './load.js';
export {
  BUILT_CONDITIONS,
  CONNECTOR_PACKAGE,
  DEVELOPMENT_CONDITIONS,
  discoverConnectors,
  loadConnectors,
  pickExport,
} from './load.js';
export type { LogWriter, LogWriterOptions } from './log-writer.js';
export { createLogWriter } from './log-writer.js';
export type { RunningServer, StartOptions } from './serve.js';
export { formatLogEntry, startServer } from './serve.js';
