import type { Registry, WireCommandEntry, WireParameter } from '@connector-proxy/core';
import { plainText, readConfig } from '@connector-proxy/server';
import { parseVerbArgs, UsageError } from '../args.js';
import { loadForIo } from '../connectors.js';
import type { Io } from '../io.js';
import { findTarget } from '../lookup.js';
import { renderTable, wrap } from '../table.js';

export const DESCRIBE_HELP = `Usage: connector-proxy describe <connector/Command> [--json]

Shows one command: its description, each parameter (type, whether it is required, default,
allowed values, whether it is secret, description), the shape of its result and the error
codes it may answer with (for a diagram's error boundary events).

Options:
  --json       print the command's entry of GET /v1/commands?detailed=true
  -h, --help   show this help

Example:
  connector-proxy describe example/Example
`;

/** `connector-proxy describe`: one command's declarations, readable. */
export async function describeVerb(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseVerbArgs(
    args,
    { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    true,
  );
  if (values.help) {
    io.stdout(DESCRIBE_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'which command? e.g. describe example/Example' : 'describe takes one command',
    );
  }
  const { registry } = await loadForIo(io, readConfig(io.env), { development: true });
  try {
    const entry = detailedEntry(registry, positionals[0] ?? '');
    io.stdout(values.json ? `${JSON.stringify(entry, null, 2)}\n` : renderDescription(entry));
    return 0;
  } finally {
    await registry.close();
  }
}

/** The detailed listing's entry of a command; throws with "did you mean" when there is none. */
export function detailedEntry(registry: Registry, id: string): WireCommandEntry {
  const target = findTarget(registry, id);
  const entry = registry.list({ detailed: true }).find((e) => e.id === target.id);
  if (!entry) throw new Error(`${target.id} is missing from the detailed listing`);
  return entry;
}

/** A command's description, parameters, result and error codes as plain text. */
export function renderDescription(entry: WireCommandEntry): string {
  const out: string[] = [entry.id];
  if (entry.description) out.push(...paragraph(entry.description, '  '));
  const traits = [
    entry.long_running ? 'long-running (may answer 202 and call back)' : '',
    entry.idempotent ? 'idempotent' : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (traits) out.push(`  ${traits}`);

  out.push('', 'Parameters:');
  if (entry.parameters.length === 0) out.push('  (none)');
  for (const p of entry.parameters) {
    out.push(`  ${p.id} (${traitsOf(p).join(', ')})`);
    if (p.description) out.push(...paragraph(p.description, '      '));
  }

  out.push('', 'Result:');
  const result = entry.result;
  if (!result) out.push('  (not declared)');
  else {
    if (result.description) out.push(...paragraph(result.description, '  '));
    if (result.mimetype) out.push(`  mimetype: ${result.mimetype}`);
    if (result.schema) out.push(`  schema: ${JSON.stringify(result.schema)}`);
  }

  const errors = entry.errors ?? [];
  out.push('', 'Error codes:');
  if (errors.length === 0) out.push('  (none declared)');
  else {
    const width = Math.max(...errors.map((e) => e.code.length)) + 4;
    const table = renderTable(errors.map((e) => [`  ${e.code}`, words(e.description, Math.max(30, 80 - width))]));
    out.push(table.trimEnd());
  }
  return `${out.join('\n')}\n`;
}

function traitsOf(p: WireParameter): string[] {
  const traits: string[] = [p.type, p.required ? 'required' : 'optional'];
  if (p.default !== undefined) traits.push(`default ${JSON.stringify(p.default)}`);
  if (p.enum) traits.push(`one of ${p.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (p.secret) traits.push('secret');
  return traits;
}

function paragraph(text: string, prefix: string): string[] {
  return words(text, 78 - prefix.length).map((line) => `${prefix}${line}`);
}

/** Text wrapped at `width`, Markdown code marks dropped (descriptions are written for the docs too). */
function words(text: string, width: number): string[] {
  return wrap(plainText(text).split(/\s+/).filter(Boolean), width, ' ');
}
