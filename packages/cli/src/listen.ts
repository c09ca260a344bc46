import { type Config, readConfig } from '@connector-proxy/server';
import { parseVerbArgs } from './args.js';
import type { Io } from './io.js';

/** What `serve` and `dev` take: where to listen, or a request for help. */
export interface ListenArgs {
  help: boolean;
  config: Config | undefined;
}

/** Parses `--host`, `--port` and `--help`; the flags win over CONNECTOR_PROXY_HOST and _PORT. */
export function readListenArgs(args: string[], io: Io): ListenArgs {
  const { values } = parseVerbArgs(args, {
    host: { type: 'string' },
    port: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { help: true, config: undefined };
  const config = readConfig({
    ...io.env,
    ...(values.host !== undefined ? { CONNECTOR_PROXY_HOST: values.host } : {}),
    ...(values.port !== undefined ? { CONNECTOR_PROXY_PORT: values.port } : {}),
  });
  return { help: false, config };
}
