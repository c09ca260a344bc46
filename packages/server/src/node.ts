export type { ClusterOptions } from './cluster.js';
export { runCluster } from './cluster.js';
export type { ConnectObserver, EgressGuardOptions, Resolver } from './egress/hook.js';
export { createEgressFor, createEgressGuard, EGRESS_DENIED, EgressDeniedError, outsideEgress } from './egress/hook.js';
export type { ConnectorSource, ImportedConnector, LoadedConnectors, LoadOptions } from './load.js';
export {
  BUILT_CONDITIONS,
  CONNECTOR_PACKAGE,
  DEVELOPMENT_CONDITIONS,
  discoverConnectors,
  importConnectors,
  loadConnectors,
  pickExport,
} from './load.js';
export type { LogWriter, LogWriterOptions } from './log-writer.js';
export { createLogWriter } from './log-writer.js';
export type { RunningServer, StartOptions } from './serve.js';
export { formatLogEntry, startServer } from './serve.js';
