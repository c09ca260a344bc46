import type { Command } from './command.js';
import type { Connector } from './connector.js';
import { describeCommand } from './describe.js';
import { DefinitionError } from './errors.js';
import type { WireCommandEntry } from './protocol.js';

/** All loaded connectors, looked up by name; the listings are computed once, at creation. */
export interface Registry {
  readonly connectors: readonly Connector[];
  /** The command `connector/command`, or undefined. */
  find(connector: string, command: string): Command | undefined;
  /** The `GET /v1/commands` entries, in connector then command order. */
  list(options?: { detailed?: boolean }): readonly WireCommandEntry[];
  /** Every command with its id. */
  entries(): readonly { id: string; connector: string; name: string; command: Command }[];
}

/** Builds a registry; two connectors with one name is a startup error. */
export function createRegistry(connectors: readonly Connector[]): Registry {
  const byName = new Map<string, Connector>();
  for (const connector of connectors) {
    if (byName.has(connector.name)) {
      throw new DefinitionError(`two connectors are named "${connector.name}"`);
    }
    byName.set(connector.name, connector);
  }
  const all = Object.freeze(
    [...byName.values()].flatMap((connector) =>
      [...connector.commands].map(([name, command]) => ({
        id: `${connector.name}/${name}`,
        connector: connector.name,
        name,
        command,
      })),
    ),
  );
  const brief = Object.freeze(all.map((e) => describeCommand(e.id, e.command)));
  const detailed = Object.freeze(all.map((e) => describeCommand(e.id, e.command, { detailed: true })));
  return {
    connectors: [...byName.values()],
    find: (connector, command) => byName.get(connector)?.commands.get(command),
    list: (options) => (options?.detailed ? detailed : brief),
    entries: () => all,
  };
}
