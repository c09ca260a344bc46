import { toOpenApi } from '@connector-proxy/core';
import { readConfig } from '@connector-proxy/server';
import { parseVerbArgs } from '../args.js';
import { loadForIo } from '../connectors.js';
import type { Io } from '../io.js';

export const OPENAPI_HELP = `Usage: connector-proxy openapi

Prints the OpenAPI 3.1 document of the discovered connectors' commands: what GET /v1/openapi.json
answers on a proxy started here (one operation per command, its parameters' schemas, the
version-2 envelope with its declared result and error codes).

Options:
  -h, --help   show this help
`;

/** `connector-proxy openapi`: the OpenAPI document, on stdout. */
export async function openapiVerb(args: string[], io: Io): Promise<number> {
  const { values } = parseVerbArgs(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(OPENAPI_HELP);
    return 0;
  }
  const config = readConfig(io.env);
  const { registry } = await loadForIo(io, config, { development: true });
  try {
    io.stdout(`${JSON.stringify(toOpenApi(registry, { apiKey: config.apiKey !== undefined }), null, 2)}\n`);
    return 0;
  } finally {
    await registry.close();
  }
}
