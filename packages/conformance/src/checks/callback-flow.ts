import type { CallbackDelivery, CallbackEndpoint } from '../callback.js';
import { isDict } from '../python-json.js';
import type { CheckStatus } from '../result.js';

/** The callbacks one waiting task received. */
export interface Delivered {
  /** The first delivery Arena accepted (200). */
  accepted: CallbackDelivery | undefined;
  /** Every delivery about the task, in order. */
  attempts: CallbackDelivery[];
  /** Requests that reached the endpoint meanwhile at a path that is not a registered callback URL. */
  strays: CallbackDelivery[];
  /** Milliseconds from the start of the wait to the accepted delivery. */
  ms: number;
}

/**
 * Waits for the proxy to PUT the task's callback: until one is accepted or the timeout passes;
 * after a refused attempt, only `graceMs` more for a retry.
 */
export async function awaitCallback(
  endpoint: CallbackEndpoint,
  guid: string,
  timeoutMs: number,
  graceMs: number,
  signal?: AbortSignal,
): Promise<Delivered> {
  const started = Date.now();
  const attempts: CallbackDelivery[] = [];
  let accepted: CallbackDelivery | undefined;
  let deadline = started + timeoutMs;
  while (!accepted && !signal?.aborted) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const delivery = await endpoint.next(guid, attempts.length, remaining, signal);
    if (!delivery) break;
    attempts.push(delivery);
    if (delivery.answer.status === 200) accepted = delivery;
    else deadline = Math.min(deadline, Date.now() + graceMs);
  }
  const strays = endpoint.deliveries().filter((d) => d.guid === undefined && d.at >= started);
  return { accepted, attempts, strays, ms: (accepted?.at ?? Date.now()) - started };
}

/** Judges a task's callbacks: whether Arena accepted one, and what it then does. */
export function judgeCallback(
  delivered: Delivered,
  timeoutMs: number,
): { status: CheckStatus; reason: string; backend?: string } {
  const { accepted, attempts, strays } = delivered;
  const last = attempts.at(-1);
  if (!accepted) {
    if (last)
      return {
        status: 'FAIL',
        reason: refusal(last),
        backend: `answers ${last.answer.status} ${last.answer.code}; the task keeps waiting`,
      };
    const stray = strays[0];
    const elsewhere = stray ? `; a ${stray.method} reached ${stray.path} instead of the exact callback URL` : '';
    return {
      status: 'FAIL',
      reason: `no callback within ${seconds(timeoutMs)}${elsewhere}`,
      backend: 'the task keeps waiting',
    };
  }
  const read = accepted.read;
  const after = `${attempts.length > 1 ? `after ${attempts.length} attempts, ` : ''}${seconds(delivered.ms)} after the 202`;
  const how = `PUT to the exact callback URL with ${accepted.credentials.filter((c) => c !== 'proxy-api-key').join(' and ')} credentials`;
  if (read?.kind !== 'completed') return { status: 'PASS', reason: `${how}, ${after}` };
  const version = read.content.command_response_version;
  const warn = version !== 2 ? `; not a version-2 envelope (command_response_version ${JSON.stringify(version)})` : '';
  const backend = read.error
    ? `raises BPMN error ${read.error.errorCode} (status ${read.error.status}): a boundary event catching it continues with command_response.body, without one Arena answers 400 unexpected_workflow_exception and the task fails`
    : `stores command_response.body (${summary(read.stored)}) as the task's result and continues`;
  return { status: warn ? 'WARN' : 'PASS', reason: `${how}, ${after}${warn}`, backend };
}

function refusal(delivery: CallbackDelivery): string {
  const { status, code } = delivery.answer;
  switch (code) {
    case 'invalid_token':
      return `Arena answers 401: the callback carries no Authorization: Bearer or SpiffWorkflow-Api-Key${
        delivery.credentials.includes('proxy-api-key')
          ? " (only the proxy's own API key, which Arena does not accept)"
          : ''
      }`;
    case 'not_authorized':
      return 'Arena answers 403: the callback credentials are not the ones expected';
    case 'method_not_allowed':
      return `the callback came as ${delivery.method}; Arena serves it as PUT only (405)`;
    case 'invalid_mimetype':
      return `Arena answers 400 invalid_mimetype: Content-Type ${JSON.stringify(delivery.contentType)} is not JSON`;
    default: {
      const detail = delivery.read?.kind === 'invalid' ? `: ${delivery.read.message}` : '';
      return `Arena answers ${status} ${code}${detail}`;
    }
  }
}

function summary(value: unknown): string {
  if (isDict(value)) return `an object with ${Object.keys(value).slice(0, 5).join(', ') || 'no keys'}`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return JSON.stringify(value) ?? 'nothing';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
