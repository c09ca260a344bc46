import { type CommandContext, type ConfigOf, defineServices, param } from '@connector-proxy/core';
import { createTrustingAgent } from './trust.js';

/** Answers above this are refused unless configured otherwise: the whole answer is held in memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

/**
 * connector-http's configuration (checked at startup) and its one shared resource: the https agent
 * that trusts `CONNECTOR_HTTP_CA_FILE`, built once and destroyed at shutdown or before a dev reload.
 */
export const services = defineServices({
  config: {
    CA_FILE: param
      .str("PEM file of private CA certificates trusted for https:// calls, besides Node's roots")
      .optional(),
    MAX_RESPONSE_BYTES: param
      .int('Largest upstream answer kept, in bytes, also after decompression; larger is ResponseTooLarge')
      .default(DEFAULT_MAX_RESPONSE_BYTES),
  },
  async setup(config) {
    if (config.MAX_RESPONSE_BYTES < 1) {
      throw new Error(`CONNECTOR_HTTP_MAX_RESPONSE_BYTES must be at least 1, got ${config.MAX_RESPONSE_BYTES}`);
    }
    const path = config.CA_FILE?.trim();
    return { httpsAgent: path ? await createTrustingAgent(path) : undefined };
  },
  close({ httpsAgent }) {
    httpsAgent?.destroy();
  },
});

/** What connector-http's commands receive as their context. */
export type HttpContext = CommandContext<
  Awaited<ReturnType<NonNullable<typeof services.setup>>>,
  ConfigOf<NonNullable<typeof services.config>>
>;
