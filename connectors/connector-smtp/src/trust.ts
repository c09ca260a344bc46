import { readFile } from 'node:fs/promises';
import { invalidParameters } from './errors.js';

/** The connector configuration key (env `CONNECTOR_SMTP_CA_FILE`) naming a PEM file of extra CAs. */
export const CA_FILE = 'CA_FILE';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The CA certificates to trust besides the system's: those in the operator's CA_FILE, then
 * those in the `smtp_ca_cert` parameter. Verification itself always stays on.
 */
export function readTrustedCa(caCert: string | undefined, fromConfig: readonly string[]): string[] {
  const given = caCert !== undefined && caCert.trim() !== '';
  const fromParam = given ? readPem(caCert) : [];
  if (given && fromParam.length === 0) {
    throw invalidParameters('smtp_ca_cert must hold PEM certificates (-----BEGIN CERTIFICATE----- ...)');
  }
  return [...fromConfig, ...fromParam];
}

/** The certificates of the operator's CA_FILE, read once at startup; a bad file stops startup naming the variable. */
export async function readCaFile(path: string | undefined): Promise<string[]> {
  if (path === undefined || path.trim() === '') return [];
  let text: string;
  try {
    text = await readFile(path.trim(), 'utf8');
  } catch (error) {
    throw caFileError(
      `cannot read CONNECTOR_SMTP_${CA_FILE} ${path}: ${error instanceof Error ? error.message : error}`,
    );
  }
  const certificates = readPem(text);
  if (certificates.length === 0) throw caFileError(`CONNECTOR_SMTP_${CA_FILE} ${path} holds no PEM certificate`);
  return certificates;
}

function readPem(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? [];
}

function caFileError(message: string): Error {
  return new Error(message);
}
