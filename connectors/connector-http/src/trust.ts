import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { createSecureContext, rootCertificates } from 'node:tls';

/** The connector configuration key (env `CONNECTOR_HTTP_CA_FILE`) naming a PEM file of CAs to trust besides Node's. */
export const CA_FILE = 'CA_FILE';

/** The code of a CA_FILE that cannot be used; connector-smtp names the same failure so. */
export const INVALID_CONFIGURATION = 'InvalidConfiguration';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Node's root certificates followed by `extra`: the `ca` list that adds to the roots instead of replacing them. */
export function toTrustedCas(extra: readonly string[]): string[] {
  return [...rootCertificates, ...extra];
}

/**
 * The agent for https calls that trusts Node's roots plus the file's certificates; verification
 * itself always stays on. Throws a message naming the variable when the file cannot be used.
 */
export async function createTrustingAgent(path: string): Promise<https.Agent> {
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

function invalidConfiguration(message: string, cause?: unknown): Error {
  return new Error(message, cause === undefined ? undefined : { cause });
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
