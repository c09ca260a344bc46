import { randomInt, randomUUID } from 'node:crypto';
import { type BackendView, readAnswer } from './backend.js';
import type { CallbackEndpoint, CallbackTask } from './callback.js';
import { API_KEY_HEADER, type Reply, send } from './http.js';
import type { CheckResult } from './result.js';
import { createFakeSecret, createSecretLedger, isSecretName, type SecretLedger } from './secrets.js';

/** One parameter of a listing entry, as far as the kit could read it. */
export interface ListedParameter {
  id: string;
  type: string;
  required: boolean;
}

/** One command of the proxy's listing. */
export interface ListedCommand {
  id: string;
  parameters: readonly ListedParameter[];
}

/** A call to `/v1/do/...` and what the backend makes of its answer; envelope checks look at all of them. */
export interface Exchange {
  /** The check that made the call. */
  check: string;
  reply: Reply;
  view: BackendView;
}

/** Options of one call to `/v1/do/<id>`. */
export interface DoOptions {
  params?: Record<string, unknown>;
  taskData?: Record<string, unknown>;
  /** Sent as the body instead of the backend's JSON object (to check bad bodies). */
  rawBody?: string;
  /** The API key to send: the kit's by default, null for none. */
  apiKey?: string | null;
}

/** What a check gets: the proxy's address, a way to call it, and where results and exchanges go. */
export interface Kit {
  baseUrl: string;
  apiKey: string | undefined;
  fakeSecret: string;
  secrets: SecretLedger;
  exchanges: Exchange[];
  callback: CallbackEndpoint | undefined;
  signal: AbortSignal | undefined;
  report(result: CheckResult): void;
  get(path: string, apiKey?: string | null): Promise<Reply>;
  /** Calls a command as the backend does; the answer is read as the backend reads it and kept. */
  call(
    check: string,
    id: string,
    options?: DoOptions,
  ): Promise<{ reply: Reply; view: BackendView; task: CallbackTask }>;
}

/** Options of {@link createKit}. */
export interface KitOptions {
  baseUrl: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  callback: CallbackEndpoint | undefined;
  signal?: AbortSignal | undefined;
  report(result: CheckResult): void;
}

const LISTING_TIMEOUT_MS = 15_000;

/** Where the callback URL points when the kit runs no endpoint: a closed port on the proxy's own machine. */
const NOWHERE = 'http://127.0.0.1:9';

/** Builds the {@link Kit} the checks share. */
export function createKit(options: KitOptions): Kit {
  const secrets = createSecretLedger();
  const fakeSecret = createFakeSecret();
  secrets.add(fakeSecret);
  if (options.apiKey) secrets.add(options.apiKey);
  const keyHeader = (apiKey: string | null | undefined): Record<string, string> => {
    const key = apiKey === undefined ? options.apiKey : apiKey;
    return key === null || key === undefined ? {} : { [API_KEY_HEADER]: key };
  };
  const pid = randomInt(1_000, 1_000_000);
  const kit: Kit = {
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    fakeSecret,
    secrets,
    exchanges: [],
    callback: options.callback,
    signal: options.signal,
    report: options.report,
    get(path, apiKey) {
      return send('GET', `${options.baseUrl}${path}`, {
        headers: keyHeader(apiKey),
        // The backend gives its listing requests 15 s.
        timeoutMs: Math.min(options.timeoutMs, LISTING_TIMEOUT_MS),
        signal: options.signal,
      });
    },
    async call(check, id, call = {}) {
      const task = options.callback?.register() ?? nowhereTask(pid);
      for (const [name, value] of Object.entries(call.params ?? {})) {
        if (isSecretName(name) && typeof value === 'string') secrets.add(value);
      }
      const body =
        call.rawBody ??
        JSON.stringify({
          ...call.params,
          spiff__process_instance_id: task.processInstanceId,
          spiff__process_model_identifier: 'conformance/kit',
          spiff__task_id: task.guid,
          spiff__task_data: call.taskData ?? {},
          spiff__callback_url: task.url,
        });
      const reply = await send('POST', `${options.baseUrl}/v1/do/${id}`, {
        body,
        headers: keyHeader(call.apiKey),
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      });
      const view = readAnswer(reply, id);
      options.callback?.settle(task.guid, view.kind === 'waiting');
      kit.exchanges.push({ check, reply, view });
      return { reply, view, task };
    },
  };
  return kit;
}

function nowhereTask(pid: number): CallbackTask {
  const guid = randomUUID();
  return { url: `${NOWHERE}/api/v1.0/tasks/${pid}/${guid}/callback`, processInstanceId: pid, guid };
}

/** A short description of a reply: `404 application/json` or `no answer (ConnectionError)`. */
export function describeReply(reply: Reply): string {
  if (!reply.ok) return `no answer (${reply.error}: ${reply.message})`;
  return `${reply.status}${reply.contentType ? ` ${reply.contentType.split(';')[0]}` : ''}`;
}
