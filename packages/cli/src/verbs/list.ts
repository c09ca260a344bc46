import type { Registry } from '@connector-proxy/core';
import { readConfig } from '@connector-proxy/server';
import { parseVerbArgs } from '../args.js';
import { loadForIo } from '../connectors.js';
import type { Io } from '../io.js';
import { plural, renderTable, wrap } from '../table.js';

export const LIST_HELP = `Usage: connector-proxy list [--json]

Lists every command of the discovered connectors: its id, its parameters ("?" marks an
optional one) and its description.

Options:
  --json       print exactly what GET /v1/commands answers
  -h, --help   show this help

Connectors are discovered as "serve" does: ./connectors/*, the connector-* and
@scope/connector-* dependencies in ./package.json, CONNECTOR_PROXY_CONNECTORS (names or
paths, comma-separated), and the current folder when it is a connector package.
`;

/** `connector-proxy list`: the commands a proxy started here would serve. */
export async function listVerb(args: string[], io: Io): Promise<number> {
  const { values } = parseVerbArgs(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(LIST_HELP);
    return 0;
  }
  const { registry, sources } = await loadForIo(io, readConfig(io.env), { development: true });
  if (values.json) {
    // The same serialization as the server's GET /v1/commands.
    io.stdout(`${JSON.stringify(registry.list())}\n`);
    return 0;
  }
  if (sources.length === 0) {
    io.stdout(
      'No connectors found: add one to ./connectors, install a connector-* package, or set CONNECTOR_PROXY_CONNECTORS.\n',
    );
    return 0;
  }
  io.stdout(renderCommands(registry));
  io.stdout(`\n${plural(registry.entries().length, 'command')} from ${plural(sources.length, 'connector')}\n`);
  return 0;
}

/** The human listing: one row per command, long parameter lists and descriptions wrapped. */
export function renderCommands(registry: Registry): string {
  const rows = registry.entries().map(({ id, command }) => {
    const params = Object.entries(command.params).map(([name, p]) => `${name}${p.required ? '' : '?'}: ${p.type}`);
    const description = wrap((command.description ?? '').split(/\s+/).filter(Boolean), 60, ' ');
    return [id, params.length > 0 ? wrap(params, 56) : ['(none)'], description];
  });
  return renderTable([['COMMAND', 'PARAMETERS', 'DESCRIPTION'], ...rows]);
}
