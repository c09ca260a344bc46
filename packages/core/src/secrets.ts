/** Replaces every known secret value in a text with `***`. */
export type SecretMask = (text: string) => string;

/** The secrets of one invocation: what the request and the connector declared, plus what the command registered. */
export interface SecretSet {
  /** Masks a text; the identity while no secret is known. */
  readonly mask: SecretMask;
  /** True once any secret is known (so the fold can skip the walk over the answer). */
  readonly active: boolean;
  /** Adds a secret value (and its encodings). */
  add(value: string): void;
}

/** Shorter values are not masked: masking "a" everywhere would garble every line. */
const MIN_SECRET_LENGTH = 3;

/** Bounds on what one secret parameter contributes, so a huge `any` value cannot slow every log line. */
const MAX_SECRET_DEPTH = 4;
const MAX_SECRETS = 200;

/**
 * The secret set of one request: the values given for the command's secret parameters (`secretIds`),
 * as sent and as `run` receives them (trimmed, numbers as text), the strings inside objects, and
 * `extra` (secret configuration values).
 */
export function createSecretSet(
  secretIds: readonly string[],
  body: Record<string, unknown>,
  extra: readonly string[] = [],
): Secrets {
  const set = new Secrets();
  for (const id of secretIds) if (Object.hasOwn(body, id)) collect(set, body[id], 0);
  for (const value of extra) set.addValue(value);
  return set;
}

function collect(set: Secrets, value: unknown, depth: number): void {
  if (typeof value === 'string') {
    set.addValue(value);
    set.addValue(value.trim());
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    set.addValue(String(value));
  } else if (typeof value === 'object' && value !== null && depth < MAX_SECRET_DEPTH) {
    for (const inner of Object.values(value)) collect(set, inner, depth + 1);
  }
}

/** A secret set holding the given values; more can be added. */
export function toSecretSet(secrets: readonly string[]): SecretSet {
  const set = new Secrets();
  for (const secret of secrets) set.addValue(secret);
  return set;
}

const NO_SECRETS: readonly string[] = [];

/**
 * A class, not an object literal with a getter (which V8 builds on a slow path), and nothing
 * allocated until a secret is added: most requests have none.
 */
export class Secrets implements SecretSet {
  #forms: Set<string> | undefined;
  #sorted: readonly string[] = NO_SECRETS;
  #mask: SecretMask | undefined;
  #add: ((value: string) => void) | undefined;

  get active(): boolean {
    return this.#sorted.length > 0;
  }

  /** Detached use is allowed (`const { mask } = set`), so it is a bound function, made on first read. */
  get mask(): SecretMask {
    this.#mask ??= (text) => this.maskText(text);
    return this.#mask;
  }

  maskText(text: string): string {
    const sorted = this.#sorted;
    if (sorted.length === 0) return text;
    let masked = text;
    for (const secret of sorted) if (masked.includes(secret)) masked = masked.split(secret).join('***');
    return masked;
  }

  /** Detached use is allowed too (`context.redact` is it). */
  get add(): (value: string) => void {
    this.#add ??= (value) => this.addValue(value);
    return this.#add;
  }

  addValue(value: string): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    this.#forms ??= new Set();
    const forms = this.#forms;
    if (forms.size >= MAX_SECRETS * 6) return;
    let grew = false;
    for (const form of encodingsOf(value)) {
      if (form.length >= MIN_SECRET_LENGTH && !forms.has(form)) {
        forms.add(form);
        grew = true;
      }
    }
    // Longest first, so a secret inside another is not half-masked.
    if (grew) this.#sorted = [...forms].sort((a, b) => b.length - a.length);
  }
}

/** A mask for the given secret values and their encodings. */
export function toMask(secrets: readonly string[]): SecretMask {
  return toSecretSet(secrets).mask;
}

/**
 * The forms a secret commonly takes on its way out: as is, escaped inside JSON, percent-encoded (URL
 * and form style) and base64 (standard and URL-safe).
 */
function encodingsOf(secret: string): string[] {
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  try {
    const percent = encodeURIComponent(secret);
    forms.push(percent, percent.replace(/%20/g, '+'));
  } catch {
    // A lone surrogate cannot be percent-encoded; JSON text may carry one.
  }
  if (secret.length >= 6) {
    const base64 = toBase64(secret);
    if (base64 !== undefined)
      forms.push(base64, base64.replace(/=+$/, ''), base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  }
  return forms;
}

/** Base64 of the UTF-8 bytes, with what every JavaScript runtime has. */
function toBase64(text: string): string | undefined {
  try {
    const bytes = new TextEncoder().encode(text);
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  } catch {
    return undefined;
  }
}

/**
 * A copy of a JSON-like value with every string (and object key) masked. Walks plain objects and
 * arrays without recursion, so a deep value cannot overflow the stack; other objects (an exact
 * number) are kept as they are.
 */
export function maskValue(value: unknown, mask: SecretMask): unknown {
  if (typeof value === 'string') return mask(value);
  if (!isWalkable(value)) return value;
  const root: { value: unknown } = { value: undefined };
  const stack: { source: unknown; assign: (copy: unknown) => void }[] = [
    {
      source: value,
      assign: (copy) => {
        root.value = copy;
      },
    },
  ];
  while (stack.length > 0) {
    const { source, assign } = stack.pop() as (typeof stack)[number];
    if (typeof source === 'string') {
      assign(mask(source));
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length);
      assign(copy);
      source.forEach((item, i) => {
        stack.push({
          source: item,
          assign: (c) => {
            copy[i] = c;
          },
        });
      });
    } else if (isWalkable(source)) {
      const copy: Record<string, unknown> = {};
      assign(copy);
      for (const [key, item] of Object.entries(source)) {
        const maskedKey = mask(key);
        // Defined now, in order, so the copy keeps the key order; the value is filled in later.
        const define = (c: unknown) =>
          Object.defineProperty(copy, maskedKey, { value: c, enumerable: true, writable: true, configurable: true });
        define(undefined);
        stack.push({ source: item, assign: define });
      }
    } else {
      assign(source);
    }
  }
  return root.value;
}

function isWalkable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
