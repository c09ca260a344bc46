import type { Command } from './command.js';

/** Replaces every known secret value in a text with `***`. */
export type SecretMask = (text: string) => string;

/** Shorter values are not masked: masking "a" everywhere would garble every line. */
const MIN_SECRET_LENGTH = 3;

/** Builds the mask for one request: the values given for the command's secret parameters. */
export function createSecretMask(command: Command, body: Record<string, unknown>): SecretMask {
  const secrets: string[] = [];
  for (const [id, p] of Object.entries(command.params)) {
    if (!p.isSecret || !Object.hasOwn(body, id)) continue;
    const value = body[id];
    if (typeof value === 'string' || typeof value === 'number') {
      const text = String(value);
      if (text.length >= MIN_SECRET_LENGTH) secrets.push(text);
    }
  }
  return toMask(secrets);
}

/** A mask for the given secret values, longest first so a secret inside another is not half-masked. */
export function toMask(secrets: readonly string[]): SecretMask {
  if (secrets.length === 0) return (text) => text;
  const sorted = [...new Set(secrets)].sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((masked, secret) => masked.split(secret).join('***'), text);
}
