import type { Command } from './command.js';
import type { Connector } from './connector.js';
import { describeCommand } from './describe.js';
import { DefinitionError } from './errors.js';
import type { WireCommandEntry } from './protocol.js';
import { configPrefix, NO_HOST, resolveConfig, type ServiceHost, secretConfigValues } from './services.js';

/** A command with what running it needs: its connector's checked configuration and services. */
export interface Target {
  /** `connector/Command`. */
  readonly id: string;
  readonly connector: string;
  readonly name: string;
  readonly command: Command;
  readonly config: Readonly<Record<string, unknown>>;
  readonly services: unknown;
  /** Secret configuration values, masked like secret parameters. */
  readonly secrets: readonly string[];
}

/** All loaded connectors, looked up by name; the listings are computed once, at creation. */
export interface Registry {
  readonly connectors: readonly Connector[];
  /** The command `connector/command`, or undefined. */
  find(connector: string, command: string): Command | undefined;
  /** The command with its connector's configuration and services, or undefined. */
  target(connector: string, command: string): Target | undefined;
  /** The `GET /v1/commands` entries, in connector then command order. */
  list(options?: { detailed?: boolean }): readonly WireCommandEntry[];
  /** Every command with its id. */
  entries(): readonly Target[];
  /** Releases every connector's services (their `close`), once; later calls wait for the first. */
  close(): Promise<void>;
}

/** Options of {@link startRegistry}. */
export interface StartRegistryOptions {
  /** `CONNECTOR_<NAME>_<KEY>` variables (others are ignored). */
  env?: Readonly<Record<string, string | undefined>>;
  /** What each connector's `setup` receives from the proxy (the server's egress exemption). */
  host?: ServiceHost;
}

/**
 * Builds a registry without starting anything: configuration is each declaration's default and no
 * `setup` runs. For listings and tests; {@link startRegistry} is what a server runs.
 */
export function createRegistry(connectors: readonly Connector[]): Registry {
  checkNames(connectors);
  const started = connectors.map((connector) => ({
    connector,
    config: resolveOrThrow(connector, {}),
    services: undefined,
  }));
  return buildRegistry(started, async () => {});
}

/**
 * Checks every connector's configuration from `env` (a bad value throws one line naming the
 * variable), runs each `setup`, and builds the registry whose `close()` runs each `close`.
 * When a setup fails, the connectors already set up are closed before the error is thrown.
 */
export async function startRegistry(
  connectors: readonly Connector[],
  options: StartRegistryOptions = {},
): Promise<Registry> {
  checkNames(connectors);
  const values = readConnectorValues(
    options.env ?? {},
    connectors.map((c) => c.name),
  );
  const resolved = connectors.map((connector) => ({
    connector,
    config: resolveOrThrow(connector, values.get(connector.name) ?? {}),
  }));
  const started: Started[] = [];
  for (const { connector, config } of resolved) {
    try {
      const setup = connector.services?.setup;
      started.push({ connector, config, services: setup ? await setup(config, options.host ?? NO_HOST) : undefined });
    } catch (error) {
      await closeAll(started);
      const reason = error instanceof Error ? error.message : String(error);
      throw new DefinitionError(`connector "${connector.name}": setup failed: ${reason}`);
    }
  }
  return buildRegistry(started, () => closeAll(started));
}

interface Started {
  connector: Connector;
  config: Record<string, unknown>;
  services: unknown;
}

function buildRegistry(started: readonly Started[], closeServices: () => Promise<void>): Registry {
  const byName = new Map<string, Map<string, Target>>();
  const all: Target[] = [];
  for (const { connector, config, services } of started) {
    const secrets = Object.freeze(secretConfigValues(connector.services?.config, config));
    const commands = new Map<string, Target>();
    for (const [name, command] of connector.commands) {
      const target: Target = Object.freeze({
        id: `${connector.name}/${name}`,
        connector: connector.name,
        name,
        command,
        config: Object.freeze(config),
        services,
        secrets,
      });
      commands.set(name, target);
      all.push(target);
    }
    byName.set(connector.name, commands);
  }
  Object.freeze(all);
  const brief = Object.freeze(all.map((e) => describeCommand(e.id, e.command)));
  const detailed = Object.freeze(all.map((e) => describeCommand(e.id, e.command, { detailed: true })));
  let closing: Promise<void> | undefined;
  return {
    connectors: started.map((s) => s.connector),
    find: (connector, command) => byName.get(connector)?.get(command)?.command,
    target: (connector, command) => byName.get(connector)?.get(command),
    list: (options) => (options?.detailed ? detailed : brief),
    entries: () => all,
    close: () => {
      closing ??= closeServices();
      return closing;
    },
  };
}

function checkNames(connectors: readonly Connector[]): void {
  const seen = new Set<string>();
  for (const connector of connectors) {
    if (seen.has(connector.name)) throw new DefinitionError(`two connectors are named "${connector.name}"`);
    seen.add(connector.name);
  }
}

function resolveOrThrow(connector: Connector, values: Readonly<Record<string, string>>): Record<string, unknown> {
  return resolveConfig(connector.name, connector.services?.config, values);
}

/** Closes in reverse order of setup; a failing close is reported on the others' behalf, not thrown. */
async function closeAll(started: readonly Started[]): Promise<void> {
  const failures: string[] = [];
  for (const { connector, services } of [...started].reverse()) {
    const close = connector.services?.close;
    if (!close || !connector.services?.setup) continue;
    try {
      await close(services);
    } catch (error) {
      failures.push(
        `connector "${connector.name}": close failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (failures.length > 0) throw new DefinitionError(failures.join('; '));
}

/**
 * Splits `CONNECTOR_<NAME>_<KEY>` variables by connector: NAME is a loaded connector's name upper-cased
 * with `-` read as `_`, and the longest one that matches wins (`CONNECTOR_AWS_S3_REGION` belongs to
 * `aws_s3` when it is loaded, else to `aws` as key `S3_REGION`). `CONNECTOR_PROXY_*` is the proxy's own.
 */
export function readConnectorValues(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): Map<string, Record<string, string>> {
  const prefixes = names
    .map((name) => ({ name, prefix: configPrefix(name) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const byConnector = new Map<string, Record<string, string>>();
  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined || !variable.startsWith('CONNECTOR_') || variable.startsWith('CONNECTOR_PROXY_')) continue;
    const match = prefixes.find((p) => variable.startsWith(p.prefix) && variable.length > p.prefix.length);
    if (!match) continue;
    const values = byConnector.get(match.name) ?? {};
    values[variable.slice(match.prefix.length)] = value;
    byConnector.set(match.name, values);
  }
  return byConnector;
}
