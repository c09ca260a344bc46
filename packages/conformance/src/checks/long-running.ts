import { describeView } from '../backend.js';
import type { Kit, ListedCommand } from '../kit.js';
import { isDict, loadsLikePython } from '../python-json.js';
import { check } from '../result.js';
import { awaitCallback, judgeCallback } from './callback-flow.js';
import { outcomeOf } from './dispatch.js';

/** A command to drive through 202 and the callback, with its parameters. */
export interface LongRunningOptions {
  /** `connector/Command`. */
  command: string;
  /** Its parameters; text values are read as the listed type (int, bool, or JSON for any). */
  params?: Record<string, unknown>;
}

/** Timing of the long-running checks. */
export interface CallbackTiming {
  /** How long to wait for the callback. */
  timeoutMs: number;
  /** How long to watch for a second delivery after Arena accepted one. */
  graceMs: number;
}

/**
 * Drives a long-running command: the proxy must answer 202 in a way the backend waits on, then PUT
 * a version-2 envelope with `command_response.body` and Arena credentials to the exact callback
 * URL, once.
 */
export async function checkLongRunning(
  kit: Kit,
  commands: readonly ListedCommand[] | undefined,
  options: LongRunningOptions | undefined,
  timing: CallbackTiming,
): Promise<void> {
  if (!options) {
    kit.report(check('long-running', 'SKIP', await skipReason(kit)));
    return;
  }
  const listed = commands?.find((c) => c.id === options.command);
  if (commands && !listed) {
    kit.report(check('long-running.accepted', 'FAIL', `${options.command} is not in the listing`));
    return;
  }
  const endpoint = kit.callback;
  if (!endpoint) {
    kit.report(check('long-running.accepted', 'SKIP', 'needs the callback endpoint (--callback)'));
    return;
  }
  const params = coerce(options.params ?? {}, listed);
  const { reply, view, task } = await kit.call('long-running.accepted', options.command, { params });
  const backend = describeView(view);
  if (view.kind !== 'waiting') {
    const why = reply.ok && reply.status === 202 ? 'the backend does not wait on it' : 'expected 202';
    kit.report(
      check('long-running.accepted', 'FAIL', `${options.command}: ${outcomeOf(reply, view)}; ${why}`, backend),
    );
    return;
  }
  kit.report(
    view.version2
      ? check('long-running.accepted', 'PASS', `${options.command}: 202 with a version-2 envelope`, backend)
      : check(
          'long-running.accepted',
          'WARN',
          `${options.command}: 202 without a version-2 envelope: the backend waits all the same, but the protocol asks for one`,
          backend,
        ),
  );
  const delivered = await awaitCallback(endpoint, task.guid, timing.timeoutMs, timing.graceMs, kit.signal);
  const verdict = judgeCallback(delivered, timing.timeoutMs);
  kit.report(check('long-running.callback', verdict.status, verdict.reason, verdict.backend));
  if (!delivered.accepted) return;
  const more = await endpoint.next(task.guid, delivered.attempts.length, timing.graceMs, kit.signal);
  kit.report(
    more
      ? check(
          'long-running.once',
          'WARN',
          `delivered again after Arena accepted it; callbacks are not idempotent, stop retrying after a 2xx`,
          `answers the repeat ${more.answer.status} ${more.answer.code}`,
        )
      : check('long-running.once', 'PASS', `delivered once (watched ${timing.graceMs} ms more)`),
  );
}

/** Why there is nothing to drive, and which listed command could be. */
async function skipReason(kit: Kit): Promise<string> {
  const reply = await kit.get('/v1/commands?detailed=true');
  const loaded = reply.ok && reply.status === 200 ? loadsLikePython(reply.text) : undefined;
  const marked =
    loaded?.ok && Array.isArray(loaded.value)
      ? loaded.value
          .filter((e) => isDict(e) && e.longRunning === true && typeof e.id === 'string')
          .map((e) => String(e.id))
      : [];
  const first = marked[0];
  if (first) {
    return `the listing marks ${marked.join(', ')} long-running: give --callback --long-running ${first} with its --param values`;
  }
  return 'give --callback and --long-running <connector/Command> to drive a command through 202 and the callback';
}

/** Reads text values as the listing types them, as the backend would send them. */
function coerce(params: Record<string, unknown>, listed: ListedCommand | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    const type = listed?.parameters.find((p) => p.id === name)?.type;
    if (typeof value !== 'string' || type === undefined || type === 'str') out[name] = value;
    else if (type === 'int' && /^-?\d+$/.test(value.trim())) out[name] = Number(value);
    else if (type === 'bool' && /^(true|false)$/i.test(value.trim())) out[name] = value.trim().toLowerCase() === 'true';
    else if (type === 'any') {
      const loaded = loadsLikePython(value);
      out[name] = loaded.ok ? loaded.value : value;
    } else out[name] = value;
  }
  return out;
}
