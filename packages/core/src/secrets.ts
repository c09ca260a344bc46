import type { Command } from './command.js';

/** Replaces every known secret value in a text with `***`. */
export type SecretMask = (text: string) => string;

/** Shorter values are not masked: masking "a" everywhere would garble every line. */
const MIN_SECRET_LENGTH = 3;

/** Bounds on what one secret parameter contributes, so a huge `any` value cannot slow every log line. */
const MAX_SECRET_DEPTH = 4;
const MAX_SECRETS = 100;

/**
 * Builds the mask for one request: the values given for the command's secret parameters, as
 * sent and as `run` receives them (trimmed, numbers as text), and the strings inside objects.
 */
export function createSecretMask(command: Command, body: Record<string, unknown>): SecretMask {
  const secrets: string[] = [];
  const add = (text: string) => {
    if (text.length >= MIN_SECRET_LENGTH && secrets.length < MAX_SECRETS) secrets.push(text);
  };
  const collect = (value: unknown, depth: number): void => {
    if (typeof value === 'string') {
      add(value);
      add(value.trim());
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      add(String(value));
    } else if (typeof value === 'object' && value !== null && depth < MAX_SECRET_DEPTH) {
      for (const inner of Object.values(value)) collect(inner, depth + 1);
    }
  };
  for (const [id, p] of Object.entries(command.params)) {
    if (p.isSecret && Object.hasOwn(body, id)) collect(body[id], 0);
  }
  return toMask(secrets);
}

/**
 * A mask for the given secret values, also in the forms a log line commonly shows them: escaped
 * inside JSON and percent-encoded in a URL. Longest first, so a secret inside another is not
 * half-masked.
 */
export function toMask(secrets: readonly string[]): SecretMask {
  if (secrets.length === 0) return (text) => text;
  const forms = secrets.flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1), encoded(secret)]);
  const sorted = [...new Set(forms)].filter((form) => form.length > 0).sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((masked, secret) => masked.split(secret).join('***'), text);
}

/** encodeURIComponent throws on a lone surrogate, which JSON text may carry. */
function encoded(secret: string): string {
  try {
    return encodeURIComponent(secret);
  } catch {
    return secret;
  }
}
