/**
 * A connector's configuration and lifecycle: settings declared with `param` builders (read from
 * `CONNECTOR_<NAME>_<KEY>` variables and checked at startup), `setup` creating what its commands
 * share (pools, clients, agents), and `close` releasing it at shutdown and before a dev reload.
 */
import { DefinitionError } from './errors.js';
import type { Param, ParamsOf } from './param.js';

/** Configuration declarations by key (`MAX_ROWS` for `CONNECTOR_POSTGRES_V2_MAX_ROWS`). */
export type ConfigShape = Record<string, Param<unknown>>;

/** The checked configuration object a connector's commands receive. */
export type ConfigOf<C extends ConfigShape> = ParamsOf<C>;

/** What the proxy hands a connector's `setup`. */
export interface ServiceHost {
  /**
   * Runs `work` as the deployment's own, outside the egress policy that applies to commands: for
   * connections a connector opens for its operator, not for a diagram (cloud credentials from the
   * instance's metadata endpoint, say). Without a policy, or outside a proxy, it just runs `work`.
   */
  outsideEgress<T>(work: () => Promise<T>): Promise<T>;
}

/** The host of a registry started without a proxy around it (tests, `run`): nothing to step outside of. */
export const NO_HOST: ServiceHost = { outsideEgress: (work) => work() };

/** The declaration handed to {@link defineServices}. */
export interface ServiceDeclaration<C extends ConfigShape, S> {
  /** Settings, checked when the proxy starts; a bad value stops startup naming its variable. */
  config?: C;
  /** Creates the services once, when the proxy starts (and after each dev reload). */
  setup?(config: ConfigOf<C>, host: ServiceHost): Promise<S> | S;
  /** Releases them: called once at shutdown and before a dev reload swaps the connector out. */
  close?(services: S): Promise<void> | void;
}

const SERVICES = Symbol.for('connector-proxy.services');

/** A declared set of services; commands name it so their context is typed. */
export interface ServiceDefinition<C extends ConfigShape, S> extends ServiceDeclaration<C, S> {
  readonly [SERVICES]: true;
  /** Phantom field that carries the services' type; never set at run time. */
  readonly __services?: S;
}

/** Declares a connector's configuration and lifecycle; exists so types flow to its commands. */
export function defineServices<C extends ConfigShape = Record<never, never>, S = undefined>(
  declaration: ServiceDeclaration<C, S>,
): ServiceDefinition<C, S> {
  return Object.freeze({ ...declaration, [SERVICES]: true as const });
}

/** True for a value made by {@link defineServices}. */
export function isServiceDefinition(value: unknown): value is ServiceDefinition<ConfigShape, unknown> {
  return typeof value === 'object' && value !== null && SERVICES in value;
}

/** The environment variable prefix of a connector: `CONNECTOR_GOOGLE_SHEETS_` for `google-sheets`. */
export function configPrefix(connectorName: string): string {
  return `CONNECTOR_${connectorName.toUpperCase().replace(/-/g, '_')}_`;
}

/** One declared setting as documentation and help show it. */
export interface ConfigVariable {
  variable: string;
  key: string;
  type: string;
  required: boolean;
  secret: boolean;
  default?: unknown;
  description?: string;
}

/** The variables a connector reads, from its declarations (for help and docs). */
export function describeConfig(connectorName: string, config: ConfigShape | undefined): ConfigVariable[] {
  const prefix = configPrefix(connectorName);
  return Object.entries(config ?? {}).map(([key, p]) => {
    const entry: ConfigVariable = {
      variable: `${prefix}${key}`,
      key,
      type: p.type,
      required: p.required,
      secret: p.isSecret,
    };
    if (p.hasDefault) entry.default = p.defaultValue;
    if (p.description !== undefined) entry.description = p.description;
    return entry;
  });
}

/**
 * Checks a connector's configuration values (keys without the prefix) against its declarations and
 * returns the typed object; throws one line naming the variable for a missing or bad value.
 * Keys that are not declared are kept as text, so a connector without declarations still sees them.
 */
export function resolveConfig(
  connectorName: string,
  config: ConfigShape | undefined,
  values: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const prefix = configPrefix(connectorName);
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!config || !Object.hasOwn(config, key)) resolved[key] = value;
  }
  const problems: string[] = [];
  for (const [key, p] of Object.entries(config ?? {})) {
    const raw = Object.hasOwn(values, key) ? values[key] : undefined;
    if (raw === undefined || raw.trim() === '') {
      if (p.hasDefault) resolved[key] = p.defaultValue;
      else if (p.required) problems.push(`${prefix}${key} is required`);
      else resolved[key] = undefined;
      continue;
    }
    const checked = p.check(raw.trim());
    if (checked.ok) resolved[key] = checked.value;
    else problems.push(`${prefix}${key} ${checked.problem}`);
  }
  if (problems.length > 0) throw new DefinitionError(problems.join('; '));
  return resolved;
}

/** The secret values of a connector's configuration, to be masked like secret parameters. */
export function secretConfigValues(config: ConfigShape | undefined, resolved: Record<string, unknown>): string[] {
  const secrets: string[] = [];
  for (const [key, p] of Object.entries(config ?? {})) {
    const value = resolved[key];
    if (p.isSecret && typeof value === 'string') secrets.push(value);
  }
  return secrets;
}
