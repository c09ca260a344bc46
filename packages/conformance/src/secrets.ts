import { randomBytes } from 'node:crypto';

/** Parameter names that hold credentials (`smtp_password`, `token`, `api_key`, `client_secret` ...). */
const SECRET_NAME =
  /(^|_)(pass|pwd)($|_)|password|passwd|passphrase|secret|token|api_?key|apikey|access_?key|private_?key|credential/i;

/** True when a parameter's name says it holds a credential. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A value no proxy would invent, so finding it in an answer means the proxy echoed what it was sent. */
export function createFakeSecret(): string {
  return `conformance-fake-secret-${randomBytes(8).toString('hex')}`;
}

/** The secrets the kit sent, and where an answer shows one. */
export interface SecretLedger {
  /** Remembers a value the kit sent as a secret (short values are ignored: they would match by chance). */
  add(value: string): void;
  /** How a text shows one of the secrets ("as it is", "base64"), or undefined. */
  findIn(text: string): string | undefined;
}

/** Creates an empty {@link SecretLedger}. */
export function createSecretLedger(): SecretLedger {
  const forms = new Map<string, string>();
  return {
    add(value) {
      if (value.length < 6) return;
      forms.set(value, 'as it is');
      forms.set(Buffer.from(value).toString('base64').replace(/=+$/, ''), 'base64-encoded');
      forms.set(encodeURIComponent(value), 'URL-encoded');
      forms.set(JSON.stringify(value).slice(1, -1), 'as it is');
    },
    findIn(text) {
      for (const [form, how] of forms) if (text.includes(form)) return how;
      return undefined;
    },
  };
}
