import type { Registry } from '@connector-proxy/core';

/**
 * The page at `/`: what this service is, and the commands it serves. The page is open, so with
 * an API key set it does not list the commands (the listing itself needs the key).
 */
export function renderHome(registry: Registry, options: { listCommands: boolean }): string {
  const entries = options.listCommands ? registry.entries() : [];
  const rows = entries
    .map(
      ({ id, command }) =>
        `<li><code>${escapeHtml(id)}</code> ${escapeHtml(plainText(command.description ?? ''))}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SpiffWorkflow connector proxy</title></head>
<body>
<h1>SpiffWorkflow connector proxy</h1>
<p>This is the SpiffWorkflow Connector. Point SpiffWorkflow-backend configuration to this url
(<code>SPIFFWORKFLOW_BACKEND_CONNECTOR_PROXY_URL</code>).
Please see <a href="/v1/commands">/v1/commands</a> for a list of commands this connector proxy will allow.</p>
<p>Try the commands in your browser: <a href="/playground">the playground</a>.</p>
<h2>${plural(registry.entries().length, 'command')}</h2>
<ul>
${rows}
</ul>
</body></html>
`;
}

/** A description without Markdown's code marks, for places that show text as it is. */
export function plainText(text: string): string {
  return text.replace(/`+([^`]*)`+/g, '$1').replace(/`/g, '');
}

/** "1 command", "2 commands". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}
