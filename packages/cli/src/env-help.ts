import { describeConfig } from '@connector-proxy/core';
import { type EnvDeclaration, readConfig, SERVER_ENV } from '@connector-proxy/server';
import { importForIo } from './connectors.js';
import type { Io } from './io.js';
import { type Row, renderTable, wrap } from './table.js';

/**
 * The "Environment" part of `serve` and `dev` help, from the declarations: the proxy's own
 * variables (`SERVER_ENV`) and those of every connector found from the current folder.
 */
export async function environmentHelp(io: Io): Promise<string> {
  const declared: [string, EnvDeclaration][] = Object.entries(SERVER_ENV);
  const server = declared.map(([name, d]) =>
    row(name, d.description, [
      ...(d.default !== undefined ? [`default: ${d.default}`] : []),
      ...(d.secret ? ['secret'] : []),
    ]),
  );
  const out = ['', 'Environment of the proxy:', table(server)];
  let found: string;
  const connectors: Entry[] = [];
  try {
    const imported = await importForIo(io, readConfig(io.env));
    found = imported.map((c) => c.name).join(', ') || 'none';
    for (const { name, connector } of imported) {
      for (const v of describeConfig(name, connector.services?.config)) {
        const traits = [v.type];
        if (v.default !== undefined) traits.push(`default: ${String(v.default)}`);
        else traits.push(v.required ? 'required' : 'optional');
        if (v.secret) traits.push('secret');
        connectors.push(row(v.variable, v.description ?? '', traits));
      }
    }
  } catch (error) {
    found = `none (they did not load: ${error instanceof Error ? error.message : String(error)})`;
  }
  connectors.push(row('CONNECTOR_<NAME>_<KEY>', 'any other value for connector <name>, as context.config.<KEY>', []));
  out.push('', `Environment of the connectors found here (${found}):`, table(connectors));
  return out.join('\n');
}

type Entry = { name: string; text: string };

function row(name: string, description: string, traits: string[]): Entry {
  return { name, text: traits.length > 0 ? `${description} (${traits.join(', ')})` : description };
}

/** Names, then descriptions wrapped to what is left of 80 columns. */
function table(entries: Entry[]): string {
  const width = Math.max(36, 78 - Math.max(...entries.map((e) => e.name.length)) - 4);
  const rows: Row[] = entries.map((e) => [`  ${e.name}`, wrap(e.text.split(/\s+/).filter(Boolean), width, ' ')]);
  return renderTable(rows).trimEnd();
}
