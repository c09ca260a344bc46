import { type CommandResult, isJsonObject } from '@connector-proxy/core';
import { type BodyFormat, type RequestBody, toBody, toJsonBody } from './body.js';
import { type HttpCall, type HttpMethod, sendRequest } from './request.js';
import type { HttpContext } from './services.js';
import type { HttpTarget } from './target.js';

/** The arguments of the V2 commands, as core narrowed them; each command declares the subset Python gives it. */
export interface RequestV2Args {
  url: HttpTarget;
  headers?: HttpCall['headers'];
  params?: HttpCall['query'];
  data?: unknown;
  basic_auth_username?: string | undefined;
  basic_auth_password?: string | undefined;
  attempts?: number;
}

/** The arguments of the unsuffixed commands, as core narrowed them; each declares the subset PROTOCOL.md gives it. */
export interface RequestArgs {
  url: HttpTarget;
  headers?: HttpCall['headers'];
  params?: HttpCall['query'];
  data?: unknown;
  body_format?: BodyFormat;
  basic_auth_username?: string | undefined;
  basic_auth_password?: string | undefined;
  include_response_headers?: boolean;
}

// Python's Post/Put/PatchRequestV2 keep `data or {}`, so they always send a JSON body.
const ALWAYS_SENDS_JSON = new Set<HttpMethod>(['POST', 'PUT', 'PATCH']);

/** Runs a `...RequestV2` command as the Python connector does, with our retry policy. */
export function runRequestV2(method: HttpMethod, args: RequestV2Args, context: HttpContext): Promise<CommandResult> {
  return sendRequest(
    {
      method,
      target: args.url,
      headers: args.headers,
      query: args.params,
      body: toV2Body(method, args.data),
      username: args.basic_auth_username,
      password: args.basic_auth_password,
      attempts: args.attempts ?? 1,
      includeResponseHeaders: false,
    },
    context,
  );
}

/** Runs an unsuffixed command: the modern contract (body_format, include_response_headers), one attempt. */
export function runRequest(method: HttpMethod, args: RequestArgs, context: HttpContext): Promise<CommandResult> {
  const format = args.body_format ?? 'json';
  if (format === 'none' && args.data !== undefined) context.log('data is not sent: body_format is none');
  return sendRequest(
    {
      method,
      target: args.url,
      headers: args.headers,
      query: args.params,
      body: toBody(format, args.data),
      username: args.basic_auth_username,
      password: args.basic_auth_password,
      attempts: 1,
      includeResponseHeaders: args.include_response_headers ?? false,
    },
    context,
  );
}

function toV2Body(method: HttpMethod, data: unknown): RequestBody | undefined {
  if (ALWAYS_SENDS_JSON.has(method)) return toJsonBody(isPythonFalsy(data) ? {} : data);
  return data === undefined || data === null ? undefined : toJsonBody(data);
}

/** Python's truthiness for JSON values: None, False, 0, "", [] and {} are false. */
function isPythonFalsy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}
