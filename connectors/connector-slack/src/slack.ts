import {
  type CommandContext,
  CommandError,
  type CommandResult,
  isJsonObject,
  isPlainObject,
  parseJson,
  stringifyJson,
} from '@connector-proxy/core';
import { NETWORK_FAILURE_STATUS, postJson, type SlackAnswer, sleep } from './transport.js';

/** The error code of every failure Slack reports, as the Python connector names it. */
export const SLACK_MESSAGE_FAILED = 'SlackMessageFailed';
/** The message Python gives for an answer that is not JSON, word for word. */
export const UNREADABLE_MESSAGE = 'Unreadable (non JSON) response from Slack';
/** Attempts of one call when Slack answers 429 (rate limited); each waits as Retry-After asks. */
export const MAX_ATTEMPTS = 5;
/** The wait after a 429 without a readable Retry-After. */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

/** One Web API call: the method's URL, the token, and the JSON arguments. */
export interface SlackCall {
  url: URL;
  token: string;
  payload: Record<string, unknown>;
}

/**
 * Calls a Slack Web API method and folds the answer as the Python connector does: the body is
 * Slack's JSON answer as a JSON string; `ok: false` and unreadable answers are
 * `SlackMessageFailed`. A 429 is retried after its Retry-After, while the wait ends before the
 * command's deadline; otherwise it comes back as `SlackMessageFailed` with http_status 429.
 */
export async function callSlack(call: SlackCall, context: CommandContext): Promise<CommandResult> {
  const headers = {
    authorization: `Bearer ${call.token}`,
    'content-type': 'application/json; charset=utf-8',
    accept: 'application/json',
  };
  // Exact numbers in blocks keep their digits.
  const payload = stringifyJson(call.payload, { name: 'the message' });
  const where = `${call.url.origin}${call.url.pathname}`;
  for (let attempt = 1; ; attempt += 1) {
    context.log(`will call POST ${where}`);
    const answer = await postJson(call.url, headers, payload, context.signal);
    context.log(`did call POST ${where}: status ${answer.status}`);
    if (answer.status !== 429) return toResult(answer);
    const wait = toRetryAfterMs(answer.headers.get('retry-after')) ?? DEFAULT_RETRY_AFTER_MS;
    if (attempt >= MAX_ATTEMPTS) {
      context.log(`will not retry: rate limited ${attempt} times`);
      return toResult(answer);
    }
    if (Date.now() + wait >= context.deadline) {
      context.log(`will not retry: waiting ${seconds(wait)} s for the rate limit would pass the command's deadline`);
      return toResult(answer);
    }
    context.log(`rate limited: will retry in ${seconds(wait)} s`);
    await sleep(wait, context.signal);
  }
}

/** Slack's answer as the command's result, or the `SlackMessageFailed` it means. */
export function toResult(answer: SlackAnswer): CommandResult {
  const parsed = readJson(answer);
  if (parsed === undefined) {
    // Python keeps Slack's status; a 2xx or 3xx that cannot be read is a bad gateway, not a success.
    const httpStatus = answer.status >= 400 ? answer.status : NETWORK_FAILURE_STATUS;
    throw new CommandError(SLACK_MESSAGE_FAILED, UNREADABLE_MESSAGE, { httpStatus });
  }
  if (parsed.ok === true) return { body: answer.text, mimetype: 'application/json', httpStatus: answer.status };
  // Don't return a 200 on a failure (Python's rule); a 429 or a 5xx keeps its status for SpiffArena's retries.
  const httpStatus = answer.status === 200 ? 400 : answer.status;
  throw new CommandError(SLACK_MESSAGE_FAILED, toFailureMessage(parsed), { httpStatus, body: answer.text });
}

/** Python's message: the joined `response_metadata.messages`, else Slack's `error`. */
export function toFailureMessage(answer: Record<string, unknown>): string {
  const metadata = answer.response_metadata;
  const messages =
    isPlainObject(metadata) && Array.isArray(metadata.messages)
      ? metadata.messages.filter((m): m is string => typeof m === 'string')
      : [];
  const joined = messages.join('. ');
  if (joined) return joined;
  if (typeof answer.error === 'string' && answer.error) return answer.error;
  return 'Slack answered without "ok": true and gave no error';
}

/** The answer's JSON object when its Content-Type says JSON (as Python tests it) and it parses. */
function readJson(answer: SlackAnswer): Record<string, unknown> | undefined {
  if (!(answer.headers.get('content-type') ?? '').toLowerCase().includes('application/json')) return undefined;
  const parsed = parseJson(answer.text);
  return parsed.ok && isJsonObject(parsed.value) ? parsed.value : undefined;
}

/** Retry-After as milliseconds: delay seconds or an HTTP date; undefined when absent or unreadable. */
export function toRetryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
