/**
 * The wire shapes of the connector proxy protocol. This is the only file that spells wire keys
 * (`command_response`, `spiff__logs` ...); everything else builds envelopes through it.
 */

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
