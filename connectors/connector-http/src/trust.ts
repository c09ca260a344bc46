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

/**
 * Says what a TLS failure means ("the server's TLS certificate was refused: self-signed
 * certificate (DEPTH_ZERO_SELF_SIGNED_CERT)"); undefined for an error that is not about TLS.
 */
export function describeTlsFailure(error: Error): string | undefined {
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code === undefined) return undefined;
  if (CERTIFICATE_CODES.has(code)) return `the server's TLS certificate was refused: ${error.message} (${code})`;
  // A handshake failure comes as ERR_SSL_* or, on some paths, as EPROTO quoting OpenSSL's error line.
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(error.message);
  if (code.startsWith('ERR_SSL_') || openssl) {
    return `the TLS handshake failed: ${openssl?.[1] ?? error.message} (${code})`;
  }
  return undefined;
}
