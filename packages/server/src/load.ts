import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type Connector,
  DefinitionError,
  isConnector,
  isPlainObject,
  type Registry,
  startRegistry,
} from '@connector-proxy/core';
import { outsideEgress } from './egress/hook.js';

/** Where a connector comes from: how it was named, and the file that is imported. */
export interface ConnectorSource {
  /** As discovered: a package name, or a path. */
  spec: string;
  /** The module whose default export is the connector. */
  entry: string;
  /** The package folder, when the connector is a package. */
  dir: string | undefined;
}

/** Options of {@link discoverConnectors} and {@link loadConnectors}. */
export interface LoadOptions {
  /** The host project: its `connectors/` folder and its package.json dependencies are searched. */
  root: string;
  /** More connectors: package names or paths (relative to `root`). */
  extra?: readonly string[];
  /** Export conditions for picking a package's entry; `development` selects TypeScript sources. */
  conditions?: readonly string[];
  /** Imports a fresh copy of every connector module (for reloading during development). */
  fresh?: boolean;
  /** Told of every file a fresh import loads (to watch it). */
  onImport?: (url: string) => void;
  /** `CONNECTOR_<NAME>_<KEY>` variables, checked against each connector's declarations; setup runs with them. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The result of {@link loadConnectors}. */
export interface LoadedConnectors {
  registry: Registry;
  sources: readonly (ConnectorSource & { name: string })[];
}

/** Connector package names: `connector-x` or `@scope/connector-x`. */
export const CONNECTOR_PACKAGE = /^(@[a-z0-9][\w.-]*\/)?connector-[a-z0-9][\w.-]*$/;

/** Running from TypeScript sources means development: connectors are loaded from theirs too. */
/** Export conditions that pick connectors' built entries, and their TypeScript sources (through tsx). */
export const BUILT_CONDITIONS = ['import', 'node'] as const;
export const DEVELOPMENT_CONDITIONS = ['development', ...BUILT_CONDITIONS] as const;
const DEFAULT_CONDITIONS = import.meta.url.endsWith('.ts') ? DEVELOPMENT_CONDITIONS : BUILT_CONDITIONS;

/**
 * Finds every connector to load: the bundled ones in `<root>/connectors/`, the host package's
 * dependencies named `connector-*` or `@scope/connector-*`, and the extra names or paths.
 * A connector found twice (a workspace is also a dependency) is listed once.
 */
export function discoverConnectors(options: LoadOptions): ConnectorSource[] {
  const conditions = conditionsOf(options);
  const specs: { spec: string; locate: () => ConnectorSource }[] = [];
  const bundled = join(options.root, 'connectors');
  if (existsSync(bundled)) {
    for (const name of readdirSync(bundled).sort()) {
      const dir = join(bundled, name);
      if (name.startsWith('connector-') && existsSync(join(dir, 'package.json'))) {
        specs.push({ spec: dir, locate: () => fromPackageDir(dir, dir, conditions) });
      }
    }
  }
  for (const name of hostDependencies(options.root)) {
    specs.push({ spec: name, locate: () => fromPackageName(name, options.root, conditions) });
  }
  for (const spec of options.extra ?? []) {
    specs.push({ spec, locate: () => fromSpec(spec, options.root, conditions) });
  }
  const seen = new Set<string>();
  const sources: ConnectorSource[] = [];
  for (const { locate } of specs) {
    const source = locate();
    const key = realpathSync(source.entry);
    if (seen.has(key)) continue;
    seen.add(key);
    sources.push(source);
  }
  return sources;
}

/**
 * Discovers and imports every connector, checks their configuration and runs their setup; any
 * mistake throws one clear line. Close the registry (`registry.close()`) to release their services.
 */
export async function loadConnectors(options: LoadOptions): Promise<LoadedConnectors> {
  const loaded = await importConnectors(options);
  const registry = await startRegistry(
    loaded.map((l) => l.connector),
    { ...(options.env ? { env: options.env } : {}), host: { outsideEgress } },
  );
  return { registry, sources: loaded.map(({ connector: _, ...source }) => source) };
}

/** A discovered connector, imported and checked but not started. */
export type ImportedConnector = ConnectorSource & { name: string; connector: Connector };

/** Imports the discovered connectors without checking their configuration or starting them (for help and docs). */
export async function importConnectors(options: LoadOptions): Promise<ImportedConnector[]> {
  const loaded: ImportedConnector[] = [];
  for (const source of discoverConnectors(options)) {
    const connector = await importConnector(source.entry, options);
    const clash = loaded.find((other) => other.name === connector.name);
    if (clash) {
      throw new DefinitionError(`two connectors are named "${connector.name}": ${clash.entry} and ${source.entry}`);
    }
    loaded.push({ ...source, name: connector.name, connector });
  }
  return loaded;
}

async function importConnector(entry: string, options: LoadOptions): Promise<Connector> {
  if (needsTsx(entry, options)) await requireTsx(entry, options);
  let module: unknown;
  try {
    module = await importModule(entry, options);
  } catch (error) {
    throw new DefinitionError(`connector ${entry} failed to load: ${firstLines(error)}`);
  }
  const connector = isPlainObject(module) ? module.default : undefined;
  if (!isConnector(connector)) {
    throw new DefinitionError(
      `connector ${entry} has no default export made by defineConnector (export default defineConnector({...}))`,
    );
  }
  return connector;
}

/** One line about a load failure; a heading such as esbuild's "Transform failed with 1 error:" keeps its detail (the broken file). */
function firstLines(error: unknown): string {
  const [first = '', second] = (error instanceof Error ? error.message : String(error)).split('\n');
  return first.endsWith(':') && second !== undefined ? `${first} ${second.trim()}` : first;
}

async function importModule(entry: string, options: LoadOptions): Promise<unknown> {
  const url = pathToFileURL(entry).href;
  if (!needsTsx(entry, options)) return import(url);
  // tsx loads TypeScript sources; each tsImport call is a fresh module graph (reload in development).
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, { parentURL: import.meta.url, ...(options.onImport ? { onImport: options.onImport } : {}) });
}

/** Sources are loaded through tsx; without it (a production install) packages' built entries are picked instead. */
function conditionsOf(options: LoadOptions): readonly string[] {
  const conditions = options.conditions ?? DEFAULT_CONDITIONS;
  return conditions.includes('development') && !tsxInstalled() ? BUILT_CONDITIONS : conditions;
}

function tsxInstalled(): boolean {
  try {
    import.meta.resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}

/** TypeScript entries and fresh imports (reloading) go through tsx; built JavaScript does not. */
function needsTsx(entry: string, options: LoadOptions): boolean {
  return options.fresh === true || /\.[cm]?tsx?$/.test(entry);
}

/** tsx is a development tool: a production install has none, and asking for it there is one clear line. */
async function requireTsx(entry: string, options: LoadOptions): Promise<void> {
  try {
    await import('tsx/esm/api');
  } catch (error) {
    // Another failure is reported by importModule, with the connector's name.
    if (!(error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND')) return;
    const missing = 'tsx, the TypeScript loader, is not installed (a production install has none)';
    throw new DefinitionError(
      options.fresh
        ? `reloading connectors needs tsx: ${missing}; npm install --save-dev tsx`
        : `connector ${entry} is TypeScript and ${missing}: build it (npm run build) so its dist is loaded, or npm install --save-dev tsx`,
    );
  }
}

function hostDependencies(root: string): string[] {
  const manifest = readManifest(join(root, 'package.json'));
  if (!manifest) return [];
  const names = new Set<string>();
  for (const field of ['dependencies', 'optionalDependencies']) {
    const deps = manifest[field];
    if (isPlainObject(deps)) for (const name of Object.keys(deps)) if (CONNECTOR_PACKAGE.test(name)) names.add(name);
  }
  return [...names];
}

function fromSpec(spec: string, root: string, conditions: readonly string[]): ConnectorSource {
  if (!isPathSpec(spec)) return fromPackageName(spec, root, conditions);
  const path = resolve(root, spec);
  if (!existsSync(path)) throw new DefinitionError(`connector path ${spec} does not exist (resolved to ${path})`);
  if (statSync(path).isDirectory()) return fromPackageDir(spec, path, conditions);
  return { spec, entry: path, dir: undefined };
}

function isPathSpec(spec: string): boolean {
  return (
    isAbsolute(spec) || spec.startsWith('.') || (spec.includes('/') && !spec.startsWith('@')) || spec.includes('\\')
  );
}

function fromPackageName(name: string, root: string, conditions: readonly string[]): ConnectorSource {
  for (let dir = resolve(root); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return fromPackageDir(name, candidate, conditions);
    if (dirname(dir) === dir) break;
  }
  throw new DefinitionError(`connector package ${name} is not installed (npm install ${name} in ${root})`);
}

function fromPackageDir(spec: string, dir: string, conditions: readonly string[]): ConnectorSource {
  const manifest = readManifest(join(dir, 'package.json'));
  if (!manifest) throw new DefinitionError(`connector ${spec}: ${join(dir, 'package.json')} is not valid JSON`);
  const target =
    pickExport(manifest.exports, conditions) ??
    stringField(manifest, 'module') ??
    stringField(manifest, 'main') ??
    'index.js';
  const entry = resolve(dir, target);
  if (!existsSync(entry)) {
    const hint = entry.includes(`${join('dist', '')}`) ? ' (run npm run build first)' : '';
    throw new DefinitionError(`connector ${spec}: its entry ${entry} does not exist${hint}`);
  }
  return { spec, entry, dir };
}

/** The package's main export for the given conditions (the subset of Node's rules connectors need). */
export function pickExport(exports: unknown, conditions: readonly string[]): string | undefined {
  if (typeof exports === 'string') return exports;
  if (Array.isArray(exports)) {
    for (const item of exports) {
      const found = pickExport(item, conditions);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (!isPlainObject(exports)) return undefined;
  if (Object.hasOwn(exports, '.')) return pickExport(exports['.'], conditions);
  for (const [key, value] of Object.entries(exports)) {
    if (key === 'default' || conditions.includes(key)) {
      const found = pickExport(value, conditions);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function readManifest(path: string): Record<string, unknown> | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return isPlainObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function stringField(manifest: Record<string, unknown>, field: string): string | undefined {
  const value = manifest[field];
  return typeof value === 'string' ? value : undefined;
}
