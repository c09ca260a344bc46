import { defineServices, param } from '@connector-proxy/core';
import { readCaFile } from './trust.js';

/** connector-smtp's configuration: the operator's private CAs, read once when the proxy starts. */
export const services = defineServices({
  config: {
    CA_FILE: param
      .str("PEM file of private CA certificates trusted for the SMTP server's TLS, besides the system's")
      .optional(),
  },
  async setup(config) {
    return { caCertificates: await readCaFile(config.CA_FILE) };
  },
});
