import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isPlainObject } from '@connector-proxy/core';
import type { Config } from '@connector-proxy/server';
import {
  CONNECTOR_PACKAGE,
  DEVELOPMENT_CONDITIONS,
  type ImportedConnector,
  importConnectors,
  type LoadedConnectors,
  loadConnectors,
} from '@connector-proxy/server/node';
import type { Io } from './io.js';
import { plural } from './table.js';

/** Options of {@link loadForIo}. */
export interface LoadForIoOptions {
  /** Prefer connectors' TypeScript sources (`development` export) over their build. */
  development?: boolean;
  fresh?: boolean;
  onImport?: (url: string) => void;
}

/**
 * Loads the connectors a verb works with: those the server discovers from the current
 * directory (its `connectors/` folder, its `connector-*` dependencies, CONNECTOR_PROXY_CONNECTORS),
 * plus the current directory itself when it is a connector package, so an author can work
 * inside their connector's folder.
 */
export function loadForIo(io: Io, config: Config, options: LoadForIoOptions = {}): Promise<LoadedConnectors> {
  const extra = isConnectorPackage(io.cwd) ? [...config.connectors, '.'] : config.connectors;
  return loadConnectors({
    root: io.cwd,
    extra,
    ...(options.development ? { conditions: DEVELOPMENT_CONDITIONS } : {}),
    ...(options.fresh ? { fresh: true } : {}),
    ...(options.onImport ? { onImport: options.onImport } : {}),
    env: config.connectorEnv,
  });
}

/** The connectors {@link loadForIo} would load, imported but neither checked nor started (for help). */
export function importForIo(io: Io, config: Config): Promise<ImportedConnector[]> {
  const extra = isConnectorPackage(io.cwd) ? [...config.connectors, '.'] : config.connectors;
  return importConnectors({ root: io.cwd, extra, conditions: DEVELOPMENT_CONDITIONS });
}

/** True when `dir` holds a package named like a connector that uses core (not, say, the proxy's own repo). */
export function isConnectorPackage(dir: string): boolean {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  } catch {
    return false;
  }
  if (!isPlainObject(manifest) || typeof manifest.name !== 'string' || !CONNECTOR_PACKAGE.test(manifest.name)) {
    return false;
  }
  return ['dependencies', 'peerDependencies', 'devDependencies'].some((field) => {
    const deps = manifest[field];
    return isPlainObject(deps) && Object.hasOwn(deps, '@connector-proxy/core');
  });
}

/** A one-line summary of what was loaded, for serve and dev. */
export function describeLoaded({ registry, sources }: LoadedConnectors): string {
  const names = sources.map((s) => s.name).join(', ') || 'none';
  return `${plural(registry.entries().length, 'command')} from ${plural(sources.length, 'connector')} (${names})`;
}
