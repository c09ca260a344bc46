/**
 * The wire shapes of the connector proxy protocol. This is the only file that spells wire keys
 * (`command_response`, `spiff__logs` ...); everything else builds envelopes through it.
 */
import { DEFAULT_MAX_WRITE_DEPTH, isLeftOut, type StringifyJsonOptions, stringifyJson } from './json.js';

/** Prefix of the reserved request keys the backend adds; they are never bound to parameters. */
export const RESERVED_PREFIX = 'spiff__';

/** The reserved request keys, as the backend sends them. */
export const RequestKey = {
  taskData: 'spiff__task_data',
  callbackUrl: 'spiff__callback_url',
  processInstanceId: 'spiff__process_instance_id',
  processModelIdentifier: 'spiff__process_model_identifier',
  taskId: 'spiff__task_id',
} as const;

/** The error member of an envelope. */
export interface WireError {
  error_code: string;
  message: string;
}

/** The inner result of a version-2 envelope. */
export interface WireCommandResponse {
  body?: unknown;
  mimetype?: string;
  http_status?: number;
  headers?: Record<string, string>;
}

/** The version-2 envelope every command execution answers with. */
export interface EnvelopeV2 {
  command_response: WireCommandResponse;
  error: WireError | null;
  command_response_version: 2;
  spiff__logs: string[];
}

/** One parameter of a listing entry; the detail fields appear only when asked for. */
export interface WireParameter {
  id: string;
  type: 'str' | 'int' | 'bool' | 'any';
  required: boolean;
  description?: string;
  default?: unknown;
  enum?: readonly string[];
  secret?: true;
}

/** One entry of `GET /v1/commands` (and `/v1/auths`). */
export interface WireCommandEntry {
  id: string;
  parameters: WireParameter[];
  description?: string;
  /** The declared shape of a successful result (detailed listing only). */
  result?: { description?: string; schema?: Readonly<Record<string, unknown>>; mimetype?: string };
  /** The error codes the command may answer with (detailed listing only). */
  errors?: { code: string; description: string }[];
  long_running?: true;
  idempotent?: true;
}

/** The legacy (version-1) answer: the body and status the server sends as they are. */
export interface LegacyAnswer {
  status: number;
  mimetype: string;
  body: string;
}

/** What a command hands back on success (camelCase on our side, snake_case on the wire). */
export interface ResultFields {
  body: unknown;
  mimetype?: string;
  httpStatus?: number;
  headers?: Record<string, string>;
}

/** Builds a version-2 envelope. */
export function toEnvelope(
  result: ResultFields | null,
  error: WireError | null,
  logs: string[],
  httpStatus?: number,
): EnvelopeV2 {
  const response: WireCommandResponse = {};
  if (result) {
    response.body = result.body;
    response.mimetype = result.mimetype ?? 'application/json';
    if (result.httpStatus !== undefined) response.http_status = result.httpStatus;
    if (result.headers !== undefined) response.headers = result.headers;
  } else if (httpStatus !== undefined) {
    response.http_status = httpStatus;
  }
  return { command_response: response, error, command_response_version: 2, spiff__logs: logs };
}

const JSON_MIMETYPE_TEXT = '"application/json"';

/** How a member's value is written: named by its place, within what is left of the depth. */
const BODY_OPTIONS = memberOptions('command_response.body', 2);
const HEADERS_OPTIONS = memberOptions('command_response.headers', 2);
const STATUS_OPTIONS = memberOptions('command_response.http_status', 2);
const MIMETYPE_OPTIONS = memberOptions('command_response.mimetype', 2);
const ERROR_OPTIONS = memberOptions('error', 1);
const VERSION_OPTIONS = memberOptions('command_response_version', 1);
const LOGS_OPTIONS = memberOptions('spiff__logs', 1);

function memberOptions(name: string, depth: number): StringifyJsonOptions {
  return { name, maxDepth: DEFAULT_MAX_WRITE_DEPTH - depth };
}

/**
 * An envelope as JSON text, its members in the protocol's order (the order {@link toEnvelope}
 * gives them; undefined ones left out, as JSON.stringify does): for such an envelope byte for
 * byte what `stringifyJson(envelope)` writes, at about half the cost. The shell's keys are
 * written here, not escaped again for every answer, and only the body and the headers go
 * through the exact-number writer, each named by its place (`command_response.body.n is NaN …`)
 * and bounded by what is left of the depth. Throws {@link JsonError} for what JSON cannot carry.
 */
export function envelopeText(envelope: EnvelopeV2): string {
  const response = envelope.command_response;
  let inner = '';
  if (!isLeftOut(response.body)) inner = `"body":${valueText(response.body, BODY_OPTIONS)}`;
  const { mimetype } = response;
  if (!isLeftOut(mimetype)) {
    const text = mimetype === 'application/json' ? JSON_MIMETYPE_TEXT : valueText(mimetype, MIMETYPE_OPTIONS);
    inner += `${inner === '' ? '' : ','}"mimetype":${text}`;
  }
  if (!isLeftOut(response.http_status)) {
    inner += `${inner === '' ? '' : ','}"http_status":${valueText(response.http_status, STATUS_OPTIONS)}`;
  }
  if (!isLeftOut(response.headers)) {
    inner += `${inner === '' ? '' : ','}"headers":${valueText(response.headers, HEADERS_OPTIONS)}`;
  }
  const { error, spiff__logs: logs } = envelope;
  const errorText = error === null ? 'null' : valueText(error, ERROR_OPTIONS);
  const version = valueText(envelope.command_response_version, VERSION_OPTIONS);
  const logsText = valueText(logs, LOGS_OPTIONS);
  return `{"command_response":{${inner}},"error":${errorText},"command_response_version":${version},"spiff__logs":${logsText}}`;
}

/** A member's value; the usual ones (a string, a number, strings only) without the exact-number walk. */
function valueText(value: unknown, options: StringifyJsonOptions): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return stringText(value);
  if (Array.isArray(value)) return isStringList(value) ? stringListText(value) : stringifyJson(value, options);
  return holdsOnlyStrings(value) ? stringRecordText(value) : stringifyJson(value, options);
}

/**
 * Printable ASCII but the quote and the backslash: what JSON.stringify writes as it is. Checking
 * for it costs a few instructions a character where V8 11's string serializer costs about 25,
 * and most log lines and short answers are such text.
 */
const PLAIN_JSON_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A string as JSON.stringify writes it. */
function stringText(text: string): string {
  return PLAIN_JSON_STRING.test(text) ? `"${text}"` : JSON.stringify(text);
}

function isStringList(list: unknown[]): list is string[] {
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return false;
  return true;
}

/** A list of strings as JSON.stringify writes it (spiff__logs). */
function stringListText(list: readonly string[]): string {
  if (list.length === 0) return '[]';
  let text = `[${stringText(list[0] as string)}`;
  for (let i = 1; i < list.length; i++) text += `,${stringText(list[i] as string)}`;
  return `${text}]`;
}

/** An object of strings as JSON.stringify writes it (its own keys, in their order). */
function stringRecordText(record: Readonly<Record<string, string>>): string {
  const keys = Object.keys(record);
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    text += `${i === 0 ? '' : ','}${stringText(key)}:${stringText(record[key] as string)}`;
  }
  return `${text}}`;
}

/** True for a plain object whose members are all strings (JSON.stringify writes it as it is). */
function holdsOnlyStrings(value: unknown): value is Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  return true;
}

/** Builds the error member of an envelope. */
export function toWireError(code: string, message: string): WireError {
  return { error_code: code, message };
}

/** The body of a 401 answer, as the Python demo app sends it. */
export const UNAUTHORIZED_BODY = { error: 'Unauthorized' } as const;

/** The body of the liveness probes. */
export const LIVENESS_BODY = { ok: true } as const;

/** Header carrying the API key. */
export const API_KEY_HEADER = 'Spiff-Connector-Proxy-Api-Key';
