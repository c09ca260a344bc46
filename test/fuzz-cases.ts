/**
 * Hostile requests for the fuzz test, generated from a seed so a failure can be replayed. Values
 * that would make a command open a connection are forced to the local servers (see `toLocal`).
 */

/** One generated request. */
export interface FuzzCase {
  kind: string;
  method: 'GET' | 'POST';
  /** Path and query, percent-encoded as sent. */
  path: string;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
}

/** A declared parameter, as the listing gives it. */
export interface ListedParam {
  id: string;
  type: string;
}

/** Where commands may connect: the local upstream HTTP and SMTP servers, and a port that hangs up. */
export interface LocalTargets {
  httpBase: string;
  smtpPort: number;
  /** Stands in for PostgreSQL: the machine's real one is shared, and fuzzed SQL must not reach it. */
  hangUpPort: number;
}

/** A small seeded generator (mulberry32): the same seed gives the same cases. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    chance: (p: number) => next() < p,
  };
}

export type Random = ReturnType<typeof createRandom>;

/** JSON text written by hand: numbers and escapes JSON.stringify cannot produce (1e400, lone surrogates). */
class Raw {
  constructor(readonly text: string) {}
}

const HOSTILE_NUMBERS = [
  '1e400',
  '-1e400',
  '9007199254740993',
  '123456789012345678901234567890',
  '-0',
  '1e-400',
  '0.1e1',
  '5e-324',
];
const NAN_LIKE = [
  'NaN',
  'Infinity',
  '-Infinity',
  'null',
  'undefined',
  'true',
  'false',
  '1e3',
  '0x10',
  '0b1',
  ' 7 ',
  '+5',
  '١٢٣',
  '１２３',
  '1_000',
];
const UNICODE = [
  '\u0000',
  'a\u0000b',
  '\u202egnp.exe',
  '\u2028\u2029',
  '\ufeff',
  '👍🏽‍♀️',
  'ﬁ',
  'Ω\u0301',
  '\u{10ffff}',
  '\u001b[31mred',
  '\r\nX-Injected: 1',
];
const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'spiff__task_data',
  '',
  ' ',
  '\u0000',
];

/** A JSON text for a value (Raw kept as written); deep values are built as text, never recursively. */
function toText(value: unknown): string {
  if (value instanceof Raw) return value.text;
  if (Array.isArray(value)) return `[${value.map(toText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toText(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function deep(random: Random): Raw {
  const depth = random.pick([1_001, 10_000, 20_000, 50_000, 100_000]);
  if (random.chance(0.5)) return new Raw(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
  return new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** Any hostile value; `size` bounds the expensive ones so the run stays fast. */
export function hostileValue(random: Random, level = 0): unknown {
  switch (random.int(level > 2 ? 8 : 12)) {
    case 0:
      return new Raw(random.pick(HOSTILE_NUMBERS));
    case 1:
      return random.pick(NAN_LIKE);
    case 2:
      return random.pick(UNICODE);
    case 3:
      return new Raw(random.pick(['"\\ud800"', '"\\udfff x"', '"\\u0000"', '"a\\ud83d"', '"\\ude00\\ud83d"']));
    case 4:
      return random.pick([null, true, false, 0, -1, 1.5, 2 ** 31, -(2 ** 63), Number.MAX_SAFE_INTEGER]);
    case 5:
      return random.pick(['', ' ', 'x', 'a'.repeat(random.pick([300, 10_000, 100_000]))]);
    case 6:
      return random.pick([[], {}, [null], [[]], [{}]]);
    case 7:
      return { [random.pick(KEYS)]: random.chance(0.5) ? { polluted: true } : hostileValue(random, level + 1) };
    case 8:
      return [hostileValue(random, level + 1), hostileValue(random, level + 1)];
    case 9:
      return Object.fromEntries([
        [random.pick(KEYS), hostileValue(random, level + 1)],
        ['k', hostileValue(random, level + 1)],
      ]);
    case 10:
      return random.chance(0.1) ? deep(random) : random.pick(['🙂'.repeat(2_000), '\u0000'.repeat(1_000)]);
    default:
      return random.chance(0.03) ? 'z'.repeat(random.pick([100_000, 1_000_000])) : random.pick(UNICODE);
  }
}

/** A value of a type the parameter does not declare (or, for `any`, anything at all). */
function wrongType(random: Random, type: string): unknown {
  const value = hostileValue(random);
  if (type === 'str' && typeof value === 'string' && random.chance(0.7)) return random.pick([{}, [], 5, true, null]);
  return value;
}

/** A plausible right value, so that a run gets past the first checks and into the command. */
function rightValue(random: Random, param: ListedParam, targets: LocalTargets): unknown {
  if (param.id === 'url') return `${targets.httpBase}/${random.pick(['json', 'xml', 'text', 'missing'])}`;
  if (param.id === 'smtp_host') return '127.0.0.1';
  if (param.id === 'smtp_port') return targets.smtpPort;
  if (param.id === 'database_connection_str') return localDatabase(targets);
  if (param.id === 'seconds') return 0;
  if (param.id === 'smtp_timeout' || param.id === 'attempts') return random.pick([1, 2]);
  // Right for a plain local server: no TLS, no login, no private CA.
  if (param.id === 'smtp_starttls' || param.id === 'smtp_secure') return false;
  if (['smtp_user', 'smtp_password', 'smtp_ca_cert', 'email_attachments'].includes(param.id)) return undefined;
  if (param.id === 'body_format') return random.pick(['json', 'form', 'raw', 'none']);
  if (param.id.startsWith('email_') && /to|from|cc|bcc|reply/.test(param.id)) return 'Jane <jane@example.org>';
  if (param.type === 'int') return random.pick([1, 2, 3]);
  if (param.type === 'bool') return random.chance(0.5);
  if (param.type === 'any') return random.pick([{ a: 1 }, { big: new Raw('9007199254740993') }, ['x'], 'text']);
  return random.pick(['hello', 'x', 'hé']);
}

/** A parameter object for a command: each declared parameter right, wrong or missing, plus extras. */
export function hostileParams(
  random: Random,
  params: readonly ListedParam[],
  targets: LocalTargets,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // Half the bodies are right but for one or two parameters, so the command itself runs on them.
  const wrongShare = random.chance(0.5) ? 1.5 / Math.max(1, params.length) : 0.45;
  for (const param of params) {
    const roll = random.next();
    if (roll < 0.1) continue;
    const value = roll < 1 - wrongShare ? rightValue(random, param, targets) : wrongType(random, param.type);
    if (value !== undefined) setOwn(body, param.id, value);
  }
  if (random.chance(0.3)) {
    setOwn(body, random.pick(KEYS), hostileValue(random));
  }
  if (random.chance(0.3)) setOwn(body, 'spiff__task_data', hostileValue(random));
  return body;
}

/** Percent-encodes text as UTF-8 bytes (a lone surrogate becomes U+FFFD, as any client would send it). */
function pct(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** An object or array (not hand-written JSON text): no text check accepts it. */
function isComposite(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !(value instanceof Raw);
}

function localDatabase(targets: LocalTargets): string {
  return `host=127.0.0.1 port=${targets.hangUpPort} dbname=fuzz user=fuzz connect_timeout=2`;
}

/** Sets an own key, `__proto__` included, without touching any prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Forces every value that could open a connection to the local servers: `url` (and the callback
 * URL) to the local HTTP base or to text that is no URL at all (no `:`, so no scheme); `smtp_host`
 * to 127.0.0.1 unless it is of a type no check accepts; `smtp_port` to the local SMTP server
 * whenever it might read as a number.
 */
export function toLocal(body: Record<string, unknown>, targets: LocalTargets): Record<string, unknown> {
  for (const key of ['url', 'spiff__callback_url']) {
    if (!Object.hasOwn(body, key)) continue;
    const value = body[key];
    if (typeof value === 'string' || value instanceof Raw) {
      const text = value instanceof Raw ? value.text : value;
      body[key] = text.includes(':') ? `${targets.httpBase}/${pct(text.slice(0, 200))}` : text;
    }
  }
  // Any text (or number or flag, which becomes text) would be a connection string: only the local one.
  if (Object.hasOwn(body, 'database_connection_str') && !isComposite(body.database_connection_str)) {
    body.database_connection_str = localDatabase(targets);
  }
  // example/Wait would sleep for what it is given; a number it accepts becomes 0.
  if (Object.hasOwn(body, 'seconds') && !isComposite(body.seconds) && typeof body.seconds !== 'boolean')
    body.seconds = 0;
  if (Object.hasOwn(body, 'smtp_host')) {
    const host = body.smtp_host;
    if (host === null || typeof host !== 'object' || host instanceof Raw) body.smtp_host = '127.0.0.1';
  }
  if (Object.hasOwn(body, 'smtp_port')) {
    const port = body.smtp_port;
    const harmless =
      (typeof port === 'object' && port !== null && !(port instanceof Raw)) ||
      typeof port === 'boolean' ||
      (typeof port === 'string' && !/\d/.test(port));
    if (!harmless) body.smtp_port = targets.smtpPort;
  }
  return body;
}

const encoder = new TextEncoder();

/** The request for a body object, as JSON text. */
export function jsonRequest(kind: string, path: string, body: unknown, headers = JSON_HEADERS): FuzzCase {
  return { kind, method: 'POST', path, headers, body: encoder.encode(toText(body)) };
}

export const JSON_HEADERS: Record<string, string> = { 'Content-Type': 'application/json' };

const MALFORMED = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":-Infinity}',
  '{"a":undefined}',
  '{"a":1}garbage',
  '{"a":1}{"b":2}',
  '{"a":"\u0000"}',
  '{"a":"\\x41"}',
  '{"a":"\\u12"}',
  '/* c */{"a":1}',
  '\ufeff{"a":1}',
  '{"a":01}',
  '{"a":.5}',
  '{"a":1.}',
  '{"a":+1}',
  '{"a":0x10}',
  '{"a"  1}',
  '{"a":1 "b":2}',
  '[',
  ']',
  '"',
  '\\',
  '{"a":"\n"}',
  '{"a":1}\u0000',
  '{"":1,"":2}',
  '{"a":"b\\',
];
const NOT_OBJECTS = ['[]', '[1,2]', '[{"message":"x"}]', '"text"', '42', '1e400', 'null', 'true', 'false', '-0', '""'];
const CONTENT_TYPES = [
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz',
  'application/xml',
  'text/json',
  'application/jsonx',
  '',
  ';',
  'application/json;;;',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/ld+json',
  'application/json, text/plain',
];
const BAD_BYTES = [
  [0xff, 0xfe, 0x7b, 0x7d],
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d],
  [0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d],
  [0x7b, 0x22, 0xf4, 0x90, 0x80, 0x80, 0x22, 0x3a, 0x31, 0x7d],
  [0x00, 0x00, 0x00, 0x7b],
];
const QUERY_PARTS = [
  '%ZZ',
  '%',
  '%E0%A4%A',
  '%00',
  '%0A',
  '%F0%9F',
  '__proto__',
  'constructor',
  '%2F',
  '+',
  '&&',
  '==',
  'a[b]',
  'a[]',
];
const PATH_PARTS = [
  '%00',
  '%0A',
  '%E0%A4%A',
  '%2F',
  '..',
  '%2E%2E',
  '__proto__',
  'constructor',
  '%F0%9F%98%80',
  '%',
  'x'.repeat(2_000),
];

/** One hostile request against `command` (`connector/Name`). */
export function hostileCase(
  random: Random,
  command: string,
  params: readonly ListedParam[],
  targets: LocalTargets,
): FuzzCase {
  const path = `/v1/do/${command}`;
  const roll = random.int(100);
  if (roll < 45) return jsonRequest('params', path, toLocal(hostileParams(random, params, targets), targets));
  if (roll < 55) return { ...jsonRequest('malformed', path, new Raw(random.pick(MALFORMED))) };
  if (roll < 62) return jsonRequest('not-an-object', path, new Raw(random.pick(NOT_OBJECTS)));
  if (roll < 66) {
    const body = toLocal(hostileParams(random, params, targets), targets);
    setOwn(body, random.pick(params)?.id ?? 'data', deep(random));
    return jsonRequest('deep', path, random.chance(0.3) ? deep(random) : body);
  }
  if (roll < 76) {
    const type = random.pick(CONTENT_TYPES);
    const headers: Record<string, string> = type === '' ? {} : { 'Content-Type': type };
    return jsonRequest('content-type', path, toLocal(hostileParams(random, params, targets), targets), headers);
  }
  if (roll < 80)
    return {
      kind: 'bad-utf8',
      method: 'POST',
      path,
      headers: JSON_HEADERS,
      body: Uint8Array.from(random.pick(BAD_BYTES)),
    };
  if (roll < 92) return queryCase(random, path, params, targets);
  if (roll < 96) {
    const [connector = '', name = ''] = command.split('/');
    const bent = random.chance(0.5) ? `${connector}/${random.pick(PATH_PARTS)}` : `${random.pick(PATH_PARTS)}/${name}`;
    return jsonRequest('path', `/v1/do/${bent}`, {});
  }
  return jsonRequest(
    'empty',
    path,
    new Raw(random.pick(['', ' ', '\n', '{}', 'null'])),
    random.chance(0.5) ? {} : JSON_HEADERS,
  );
}

/**
 * A query value cut so that, percent-encoded, it stays under 1,000 characters: a URL past Node's
 * 16 KB header limit is refused (431) before the proxy sees it, which says nothing about the proxy.
 */
function fitted(text: string): string {
  let value = text.slice(0, 2_000);
  while (pct(value).length > 1_000) value = value.slice(0, Math.floor(value.length / 2));
  return value;
}

function queryCase(random: Random, path: string, params: readonly ListedParam[], targets: LocalTargets): FuzzCase {
  const body = toLocal(hostileParams(random, params, targets), targets);
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const text = typeof value === 'string' ? value : toText(value).slice(0, 300);
    // Query values are always strings: a number-like smtp_port or url text must stay local too.
    const local =
      key === 'smtp_port'
        ? String(targets.smtpPort)
        : key === 'database_connection_str'
          ? localDatabase(targets)
          : key === 'seconds'
            ? '0'
            : key === 'smtp_host'
              ? '127.0.0.1'
              : /url$/.test(key) && text.includes(':') && !text.startsWith(targets.httpBase)
                ? targets.httpBase
                : text;
    pairs.push(`${pct(key)}=${pct(fitted(local))}`);
    if (random.chance(0.2)) pairs.push(`${pct(key)}=${pct(local.slice(0, 50))}`);
  }
  if (random.chance(0.5)) pairs.push(`${random.pick(QUERY_PARTS)}=${random.pick(QUERY_PARTS)}`);
  return { kind: 'query', method: 'GET', path: `${path}?${pairs.join('&')}`, headers: {}, body: undefined };
}
