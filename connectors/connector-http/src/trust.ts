import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';
import { CommandError } from '@connector-proxy/core';

/** The connector configuration key (env `CONNECTOR_HTTP_CA_FILE`) naming a PEM file of CAs to trust besides Node's. */
export const CA_FILE = 'CA_FILE';

/** The code of a CA_FILE that cannot be used; connector-smtp names the same failure so. */
export const INVALID_CONFIGURATION = 'InvalidConfiguration';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

// One agent per CA_FILE path for the life of the process, so the file is read once, not per call or retry.
const agents = new Map<string, Promise<https.Agent>>();

/**
 * The agent for https calls: undefined without CA_FILE (Node's global agent, Node's roots);
 * else one whose connections trust Node's roots plus the file's certificates. Verification
 * itself always stays on. Rejects with `InvalidConfiguration` when the file cannot be used.
 */
export function readHttpsAgent(config: Readonly<Record<string, string>>): Promise<https.Agent | undefined> {
  const path = config[CA_FILE]?.trim();
  if (!path) return Promise.resolve(undefined);
  let agent = agents.get(path);
  if (agent === undefined) {
    agent = createTrustingAgent(path);
    agents.set(path, agent);
    // A failure is not kept: the next call reads the file again, so a fix needs no restart.
    const created = agent;
    created.catch(() => agents.get(path) === created && agents.delete(path));
  }
  return agent;
}

/** Node's root certificates followed by `extra`: the `ca` list that adds to the roots instead of replacing them. */
export function toTrustedCas(extra: readonly string[]): string[] {
  return [...rootCertificates, ...extra];
}

async function createTrustingAgent(path: string): Promise<https.Agent> {
  const name = `CONNECTOR_HTTP_${CA_FILE} ${path}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw invalidConfiguration(`cannot read ${name}: ${toMessage(error)}`, error);
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw invalidConfiguration(`${name} holds no PEM certificate`);
  // Node's TLS would skip a certificate it cannot parse without a word; say so instead.
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw invalidConfiguration(`${name}: certificate ${index + 1} cannot be read: ${toMessage(error)}`, error);
    }
  });
  // Built once: building it per connection would parse every root certificate each time.
  const secureContext = createSecureContext({ ca: toTrustedCas(certificates) });
  // The settings of Node's global agent, so calls behave the same with and without CA_FILE.
  return new https.Agent({ keepAlive: true, scheduling: 'lifo', timeout: 5_000, secureContext });
}

function invalidConfiguration(message: string, cause?: unknown): CommandError {
  return new CommandError(INVALID_CONFIGURATION, message, { httpStatus: 500, cause });
}

function toMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// OpenSSL's names for a certificate that fails verification, and Node's for a name mismatch.
const CERTIFICATE_CODES = new Set([
  'CERT_CHAIN_TOO_LONG',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

// The codes of a certificate whose issuer is not trusted, which CA_FILE can fix.
const UNKNOWN_ISSUER_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * Says what a TLS failure means ("the server's TLS certificate was refused: self-signed
 * certificate (DEPTH_ZERO_SELF_SIGNED_CERT)"); undefined for an error that is not about TLS.
 */
export function describeTlsFailure(error: Error): string | undefined {
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code === undefined) return undefined;
  if (CERTIFICATE_CODES.has(code)) {
    const hint = UNKNOWN_ISSUER_CODES.has(code) ? `; to trust a private CA, see CONNECTOR_HTTP_${CA_FILE}` : '';
    return `the server's TLS certificate was refused: ${error.message} (${code})${hint}`;
  }
  // A handshake failure comes as ERR_SSL_* or, on some paths, as EPROTO quoting OpenSSL's error line.
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(error.message);
  if (code.startsWith('ERR_SSL_') || openssl) {
    return `the TLS handshake failed: ${openssl?.[1] ?? error.message} (${code})`;
  }
  return undefined;
}
