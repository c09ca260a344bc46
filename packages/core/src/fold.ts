/**
 * Folds what a command did (its output, or what it threw) into an invocation: the one place that
 * decides how a command's success or failure looks on the wire.
 */
import { isLegacyResult } from './command.js';
import { ErrorCode, isCommandError } from './errors.js';
import type { Failure, Invocation } from './invocation.js';
import { isJsonObject, stringifyJson } from './json.js';
import { describeValue, kindOf } from './param.js';
import { type EnvelopeV2, type LegacyAnswer, type ResultFields, toEnvelope, toWireError } from './protocol.js';
import { maskValue, type SecretMask } from './secrets.js';

/** A command's output: a `{ body }` result, a legacy `{ response }`, or an InvalidCommandResult crash. */
export function foldOutput(output: unknown, logs: string[]): Invocation {
  if (!isPlainObject(output) || !('body' in output || 'response' in output)) {
    const message = `the command returned ${describeValue(output)}, not { body } or { response }`;
    return rejectedWith('crash', ErrorCode.InvalidCommandResult, message, logs);
  }
  if (isLegacyResult(output)) {
    const answer = toLegacyAnswer(output);
    if (typeof answer === 'string') return rejectedWith('crash', ErrorCode.InvalidCommandResult, answer, logs);
    return { kind: 'v1', answer, logs };
  }
  const result = toResult(output);
  if (typeof result === 'string') return rejectedWith('crash', ErrorCode.InvalidCommandResult, result, logs);
  return { kind: 'v2', envelope: toEnvelope(result, null, logs), failure: null };
}

/** The fields of a `{ body }` result, checked; or what is wrong with them. */
function toResult(output: Record<string, unknown>): ResultFields | string {
  const { body, mimetype, httpStatus, headers } = output;
  // JSON drops an undefined member, and the protocol requires `body` on success.
  const result: ResultFields = { body: body === undefined ? null : body };
  if (mimetype !== undefined) {
    if (!isMimetype(mimetype)) return `the command returned an invalid mimetype ${describeValue(mimetype)}`;
    result.mimetype = mimetype;
  }
  if (httpStatus !== undefined) {
    if (!isStatus(httpStatus, 100)) return `the command returned an invalid httpStatus ${describeValue(httpStatus)}`;
    result.httpStatus = httpStatus;
  }
  if (headers !== undefined) {
    if (!isHeaders(headers)) return 'the command returned invalid headers: an object of strings is needed';
    result.headers = headers;
  }
  return result;
}

/** A legacy `{ response, status, mimetype }` as the Python proxy answers it; or what is wrong with it. */
function toLegacyAnswer(output: Record<string, unknown>): LegacyAnswer | string {
  const { response, status = 200, mimetype } = output;
  // The Response constructor refuses statuses outside 200..599.
  if (!isStatus(status, 200)) return `the command returned an invalid legacy status ${describeValue(status)}`;
  if (mimetype !== undefined && !isMimetype(mimetype)) {
    return `the command returned an invalid mimetype ${describeValue(mimetype)}`;
  }
  if (typeof response === 'string') return { status, mimetype: mimetype ?? 'text/plain', body: response };
  let body: string | undefined;
  try {
    body = stringifyJson(response ?? null);
  } catch (error) {
    return `the command returned a response that is not JSON: ${textOf(error instanceof Error ? error.message : error)}`;
  }
  if (body === undefined) return `the command returned a response that is not JSON: ${kindOf(response)}`;
  return { status, mimetype: mimetype ?? 'application/json', body };
}

function isStatus(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= 599;
}

function isMimetype(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isHeaders(value: unknown): value is Record<string, string> {
  return isPlainObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** A command's throw: a CommandError keeps its code, anything else is a crash under its name. */
export function foldError(error: unknown, logs: string[]): Invocation {
  if (isCommandError(error)) {
    const httpStatus = isStatus(error.httpStatus, 100) ? error.httpStatus : undefined;
    const wireError = toWireError(error.code, textOf(error.message));
    // A command that ran and failed answers with a body (null without one), as the Python
    // connectors do and SpiffArena's protocol schema requires; a boundary event may read it.
    const failure = error.code === ErrorCode.InvalidParameters ? 'invalid_parameters' : 'command';
    const result =
      failure === 'invalid_parameters' && error.body === undefined
        ? null
        : {
            body: error.body === undefined ? null : error.body,
            ...(httpStatus === undefined ? {} : { httpStatus }),
            ...(isHeaders(error.headers) ? { headers: error.headers } : {}),
          };
    const envelope = toEnvelope(result, wireError, logs, httpStatus);
    // A command narrowing its own parameters refuses them as core does: a 400, not a run.
    return { kind: 'v2', envelope, failure };
  }
  const code = error instanceof Error ? errorName(error) : 'Error';
  const message = textOf(error instanceof Error ? error.message : error);
  return rejectedWith('crash', code, message, logs);
}

/**
 * The code of an unexpected error: its name, or its class name when the class did not set one
 * (`class QuotaExceeded extends Error {}` is named "Error"), as Python reports the class name.
 */
function errorName(error: Error): string {
  try {
    const name = typeof error.name === 'string' ? error.name : '';
    if (name !== '' && name !== 'Error') return name;
    const className = typeof error.constructor === 'function' ? error.constructor.name : '';
    return className || 'Error';
  } catch {
    return 'Error';
  }
}

/** Text for a message from anything thrown; never throws itself (String() can). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return String(value);
  try {
    if ('message' in value && typeof value.message === 'string') return value.message;
  } catch {
    // A throwing getter: fall through to the kind.
  }
  return kindOf(value);
}

function rejectedWith(failure: Failure, code: string, message: string, logs: string[]): Invocation {
  return { kind: 'v2', envelope: toEnvelope(null, toWireError(code, message), logs), failure };
}

/** True for a JSON object (not null, not an array, not an exact number). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return isJsonObject(value);
}

/** An invocation that failed before the command ran (unknown command, bad body ...). */
export function rejected(failure: Failure, code: string, message: string, logs: string[] = []): Invocation {
  return { kind: 'v2', envelope: toEnvelope(null, toWireError(code, message), logs), failure };
}

/** A failure with the `http_status` that tells SpiffArena's retry policy what to do. */
export function failedWith(
  failure: Failure,
  code: string,
  message: string,
  logs: string[],
  httpStatus: number,
): Invocation {
  const result = failure === 'command' ? { body: null, httpStatus } : null;
  return { kind: 'v2', envelope: toEnvelope(result, toWireError(code, message), logs, httpStatus), failure };
}

/**
 * The last pass before an answer leaves: every string of the envelope (logs, error message, body,
 * headers) or of a legacy body masked with the invocation's secrets, including those the command
 * registered while it ran.
 */
export function maskInvocation(invocation: Invocation, mask: SecretMask): Invocation {
  if (invocation.kind === 'v1') {
    const { answer, logs } = invocation;
    return { kind: 'v1', answer: { ...answer, body: mask(answer.body) }, logs: logs.map(mask) };
  }
  const { envelope, failure } = invocation;
  const response = { ...envelope.command_response };
  if ('body' in response) response.body = maskValue(response.body, mask);
  if (response.headers) response.headers = maskValue(response.headers, mask) as Record<string, string>;
  const masked: EnvelopeV2 = {
    command_response: response,
    error: envelope.error ? toWireError(envelope.error.error_code, mask(envelope.error.message)) : null,
    command_response_version: 2,
    spiff__logs: envelope.spiff__logs.map(mask),
  };
  return { kind: 'v2', envelope: masked, failure };
}
