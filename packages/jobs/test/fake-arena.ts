/**
 * A stand-in for SpiffArena's service-task callback endpoint on 127.0.0.1, answering as its
 * source does (spiff-arena @ d7678cf, spiffworkflow-backend). Quoted where each answer comes from.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** An answer forced for the next callback to a task, before the real handling (5xx, 429 ...). */
export interface Scripted {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Drop the connection instead of answering. */
  destroy?: boolean;
}

/** A task waiting in a service task for its callback. */
export interface FakeTask {
  processInstanceId: number;
  guid: string;
  /** `STARTED` waits; `COMPLETED` after an accepted callback. */
  state: 'STARTED' | 'COMPLETED' | 'ERROR';
  /** An error boundary event catches these codes (the task then completes with the body). */
  catches: string[];
  /** Service-task retries configured in the diagram, and how many were used. */
  retries: number;
  retriesAttempted: number;
  /** `command_response.body` stored in the task data, as Arena stores it. */
  result?: unknown;
  completions: number;
}

export interface FakeArenaOptions {
  /** The service account key expected in `SpiffWorkflow-Api-Key`. */
  apiKey?: string;
  /** The token expected in `Authorization: Bearer`. */
  bearer?: string;
}

export interface FakeArena {
  url: string;
  origin: string;
  received: Received[];
  /** Registers a task waiting for its callback; returns its callback URL. */
  task(options?: Partial<Pick<FakeTask, 'catches' | 'retries'>>): { url: string; task: FakeTask };
  /** Forces answers for the next callbacks to `guid`, in order. */
  script(guid: string, answers: Scripted[]): void;
  /** Holds callbacks to `guid` (no answer) until `release()`; `onHeld` fires when one arrives. */
  hold(guid: string, onHeld?: () => void): { release(): void };
  /** Resolves when `n` callbacks have been received in all. */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const CALLBACK = /^\/v1\.0\/tasks\/(\d+)\/([^/]+)\/callback$/;

export async function startFakeArena(options: FakeArenaOptions = {}): Promise<FakeArena> {
  const received: Received[] = [];
  const tasks = new Map<string, FakeTask>();
  const scripts = new Map<string, Scripted[]>();
  const holds = new Map<string, { onHeld?: () => void; waiting: (() => void)[]; released: boolean }>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let nextInstance = 1;
  let nextGuid = 1;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      received.push(entry);
      for (const w of waiters.filter((w) => received.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      const match = CALLBACK.exec(entry.path);
      const hold = match ? holds.get(match[2] ?? '') : undefined;
      if (hold && !hold.released) {
        // The answer waits; if the client goes away meanwhile the callback is never processed
        // (as when a request is lost before Arena reads it).
        hold.waiting.push(() => {
          if (!req.socket.destroyed) handle(entry, match, res);
        });
        hold.onHeld?.();
        return;
      }
      handle(entry, match, res);
    });
  });

  function handle(entry: Received, match: RegExpExecArray | null, res: ServerResponse) {
    if (entry.method !== 'PUT' || !match) return send(res, 404, { error: 'Not Found' });
    // authentication_controller.py: a Bearer token, or "if not token and 'SpiffWorkflow-Api-Key' in
    // request.headers: api_key = request.headers['SpiffWorkflow-Api-Key']"; no credentials raise
    // ApiError(error_code="invalid_token", message="Cannot validate token.", status_code=401), and the
    // permission check answers 403 "not_authorized" (test__202_permissions asserts 403 for both).
    const key = entry.headers['spiffworkflow-api-key'];
    const authorization = entry.headers.authorization;
    const byKey = options.apiKey !== undefined && key === options.apiKey;
    const byToken = options.bearer !== undefined && authorization === `Bearer ${options.bearer}`;
    if (!byKey && !byToken) {
      if (key === undefined && authorization === undefined) {
        return problem(res, 401, 'invalid_token', 'Cannot validate token.');
      }
      return problem(res, 403, 'not_authorized', 'User is not authorized to perform requested action');
    }
    const [, pid = '', guid = ''] = match;
    const scripted = scripts.get(guid)?.shift();
    if (scripted) {
      if (scripted.destroy) {
        res.socket?.destroy();
        return;
      }
      return send(res, scripted.status, scripted.body ?? { error: 'scripted' }, scripted.headers);
    }
    // tasks_controller._complete_service_task_that_is_waiting_for_callback: "if not request.is_json:
    // raise ApiError(error_code='invalid_mimetype', message='This endpoint must be called with a json
    // mimetype.', status_code=400)".
    if (!/^application\/json\b/.test(entry.headers['content-type'] ?? '')) {
      return problem(res, 400, 'invalid_mimetype', 'This endpoint must be called with a json mimetype.');
    }
    const task = tasks.get(guid);
    // service_task_service._get_spiff_task_from_runtime: "error_code='callback_not_found', message=f\"No
    // task found with guid '{task_guid}'. The task may have already completed or the guid is invalid.\"".
    if (!task || String(task.processInstanceId) !== pid) {
      return problem(
        res,
        400,
        'callback_not_found',
        `No task found with guid '${guid}'. The task may have already completed or the guid is invalid.`,
      );
    }
    // complete_waiting_callback: "if spiff_task.state == TaskState.STARTED and isinstance(..., ServiceTask)"
    // else "error_code='not_waiting_for_callback', message='This process instance is not waiting for a callback.'".
    if (task.state !== 'STARTED') {
      return problem(res, 400, 'not_waiting_for_callback', 'This process instance is not waiting for a callback.');
    }
    let content: unknown;
    try {
      content = entry.body === '' ? {} : JSON.parse(entry.body);
    } catch {
      return problem(res, 400, 'invalid_mimetype', 'This endpoint must be called with a json mimetype.');
    }
    const body = isObject(content) ? content : {};
    // _check_for_callback_errors -> ServiceTaskDelegate.check_for_errors(status_code=200): an error is a
    // dict "error" with "error_code", or command_response_version > 1 and command_response.http_status >= 300.
    const code = errorCodeOf(body);
    if (code !== undefined && !task.catches.includes(code)) {
      // _schedule_retry_for_callback_error: "spiff_task.task_spec.schedule_retry(spiff_task)" and
      // _retry_scheduled_callback_outcome: {"status": "retry_scheduled", "task_guid", "retry_at",
      // "retries_attempted", "retries_remaining", "max_retries"}.
      if (task.retriesAttempted < task.retries && isTransient(body)) {
        task.retriesAttempted += 1;
        return send(res, 200, {
          ok: true,
          status: 'retry_scheduled',
          process_model_identifier: 'misc/long-running',
          process_instance_id: task.processInstanceId,
          task_guid: guid,
          retry_at: Math.round(Date.now() / 1000) + 3 ** task.retriesAttempted,
          retries_attempted: task.retriesAttempted,
          retries_remaining: task.retries - task.retriesAttempted,
          max_retries: task.retries,
        });
      }
      task.state = 'ERROR';
      return problem(res, 400, 'unexpected_workflow_exception', `Error executing Service Task: ${code}`);
    }
    // _get_callback_body: "if not isinstance(command_response, dict) or 'body' not in command_response:
    // raise ApiError(error_code='invalid_callback_body', message='Service task callbacks must provide a
    // command_response.body value.', status_code=400)".
    const commandResponse = body.command_response;
    if (!isObject(commandResponse) || !('body' in commandResponse)) {
      return problem(
        res,
        400,
        'invalid_callback_body',
        'Service task callbacks must provide a command_response.body value.',
      );
    }
    let result = commandResponse.body;
    if (typeof result === 'string' && commandResponse.mimetype === 'application/json') {
      try {
        result = JSON.parse(result);
      } catch {
        // json.JSONDecodeError: kept as the string.
      }
    }
    task.result = result;
    task.state = 'COMPLETED';
    task.completions += 1;
    // _complete_service_task_that_is_waiting_for_callback: {"ok": True, "status": "completed",
    // "process_model_identifier": ..., "process_instance_id": ...}.
    send(res, 200, {
      ok: true,
      status: 'completed',
      process_model_identifier: 'misc/long-running',
      process_instance_id: task.processInstanceId,
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    origin,
    received,
    task(taskOptions = {}) {
      const task: FakeTask = {
        processInstanceId: nextInstance++,
        guid: `00000000-0000-4000-8000-${String(nextGuid++).padStart(12, '0')}`,
        state: 'STARTED',
        catches: taskOptions.catches ?? [],
        retries: taskOptions.retries ?? 0,
        retriesAttempted: 0,
        completions: 0,
      };
      tasks.set(task.guid, task);
      return { url: `${origin}/v1.0/tasks/${task.processInstanceId}/${task.guid}/callback`, task };
    },
    script(guid, answers) {
      scripts.set(guid, [...(scripts.get(guid) ?? []), ...answers]);
    },
    hold(guid, onHeld) {
      const entry = { onHeld, waiting: [] as (() => void)[], released: false };
      holds.set(guid, entry);
      return {
        release() {
          entry.released = true;
          for (const go of entry.waiting.splice(0)) go();
        },
      };
    },
    waitFor(n, timeoutMs = 10_000) {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the fake Arena got ${received.length} callbacks, not ${n}, in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Arena's ApiError answer (connexion problem+json). */
function problem(res: ServerResponse, status: number, code: string, message: string): void {
  send(
    res,
    status,
    { type: 'about:blank', title: code, detail: message, status, error_code: code, message },
    { 'Content-Type': 'application/problem+json' },
  );
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorCodeOf(body: Record<string, unknown>): string | undefined {
  const error = body.error;
  if (isObject(error) && typeof error.error_code === 'string') return error.error_code;
  const response = body.command_response;
  if (Number(body.command_response_version) > 1 && isObject(response) && typeof response.http_status === 'number') {
    if (response.http_status >= 300) return `ServiceTaskHttpError${response.http_status}`;
  }
  return undefined;
}

/** is_transient_error: UncaughtServiceTaskError with status >= 500 or 429 (no status counts as 500). */
function isTransient(body: Record<string, unknown>): boolean {
  const response = body.command_response;
  const status = isObject(response) && typeof response.http_status === 'number' ? response.http_status : 500;
  return status >= 500 || status === 429;
}

/** A server that records whatever reaches it: no request may ever arrive here. */
export async function startTrap(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
