import { type BackendView, describeView } from '../backend.js';
import type { Reply } from '../http.js';
import { describeReply, type Kit, type ListedCommand } from '../kit.js';
import { type CheckResult, type CheckStatus, check, quote } from '../result.js';
import { isSecretName } from '../secrets.js';

/** Values of the wrong type for each checkable type: nothing a proxy should coerce. */
const WRONG: Record<string, unknown> = {
  str: { conformance: 'an object where a string is expected' },
  int: 'not-an-integer',
  bool: 'not-a-boolean',
};

/** What an answer was, in a few words: `400 InvalidParameters`, `200 result`, `500 not JSON`. */
export function outcomeOf(reply: Reply, view: BackendView): string {
  if (!reply.ok) return describeReply(reply);
  if (view.kind === 'error' && view.source === 'invalid_json') return `${describeReply(reply)} that is not JSON`;
  if (view.kind === 'error') return `${reply.status} ${view.errorCode}`;
  if (view.kind === 'crash') return `${reply.status} that the backend cannot read`;
  return `${reply.status} ${view.kind === 'waiting' ? 'accepted' : 'success'}`;
}

/** Checks `POST /v1/do/...` for commands that do not exist: 404 `command_not_found`. */
export async function checkUnknownCommand(kit: Kit, commands: readonly ListedCommand[]): Promise<void> {
  const known = new Set(commands.map((c) => c.id));
  const connector = commands[0]?.id.split('/')[0];
  const ids = [
    'conformance_kit_missing/NoSuchCommand',
    ...(connector ? [`${connector}/NoSuchConformanceCommand`] : []),
  ];
  let result: CheckResult | undefined;
  for (const id of ids.filter((i) => !known.has(i))) {
    const { reply, view } = await kit.call('do.unknown-command', id);
    const backend = describeView(view);
    const outcome = outcomeOf(reply, view);
    let status: CheckStatus = 'PASS';
    let reason = `${id}: 404 command_not_found`;
    if (!reply.ok || view.kind !== 'error' || view.source === 'invalid_json' || reply.status < 400) {
      status = 'FAIL';
      reason = `${id}: ${outcome}; an unknown command must be a 404 error envelope`;
    } else if (reply.status !== 404 || view.errorCode !== 'command_not_found') {
      status = 'WARN';
      reason = `${id}: ${outcome}; the protocol answers 404 with error_code command_not_found`;
    }
    if (!result || rank(status) > rank(result.status)) result = check('do.unknown-command', status, reason, backend);
  }
  if (result) kit.report(result);
}

/** Checks bodies the backend never sends (not JSON, a JSON array): a 4xx error, never a run. */
export async function checkBadBodies(kit: Kit, target: string | undefined): Promise<void> {
  const bodies: [string, string][] = [
    ['do.body-not-json', '{"not json'],
    ['do.body-array', '["a", "list"]'],
  ];
  for (const [id, rawBody] of bodies) {
    if (!target) {
      kit.report(check(id, 'SKIP', 'the listing has no command to send it to'));
      continue;
    }
    const { reply, view } = await kit.call(id, target, { rawBody });
    const outcome = outcomeOf(reply, view);
    const backend = describeView(view);
    const what = `${target} with ${id === 'do.body-array' ? 'a JSON array' : 'a body that is not JSON'}`;
    if (!reply.ok || view.kind === 'result' || view.kind === 'waiting' || view.kind === 'crash') {
      kit.report(check(id, 'FAIL', `${what}: ${outcome}; a bad body must be refused`, backend));
    } else if (view.source === 'invalid_json' || reply.status >= 500) {
      const why = reply.status >= 500 ? 'a bad request is not a server error' : 'errors should be JSON';
      kit.report(check(id, 'WARN', `${what}: ${outcome}; ${why} (expected a 4xx error envelope)`, backend));
    } else {
      kit.report(check(id, 'PASS', `${what}: ${outcome}`, backend));
    }
  }
}

/**
 * Checks each command called without its required parameters (and with a fake secret in every
 * optional parameter named like a secret): a clear error the backend does not retry.
 */
export async function checkMissingParameters(kit: Kit, commands: readonly ListedCommand[]): Promise<void> {
  for (const command of commands) {
    const id = `do.missing-parameters[${command.id}]`;
    const required = command.parameters.filter((p) => p.required).map((p) => p.id);
    if (required.length === 0) {
      kit.report(check(id, 'SKIP', 'no required parameter'));
      continue;
    }
    const params: Record<string, unknown> = {};
    for (const p of command.parameters) {
      if (!p.required && isSecretName(p.id) && (p.type === 'str' || p.type === 'any')) params[p.id] = kit.fakeSecret;
    }
    const { reply, view } = await kit.call(id, command.id, { params });
    const outcome = outcomeOf(reply, view);
    const backend = describeView(view);
    const missing = `without ${required.join(', ')}`;
    if (!reply.ok || view.kind === 'crash' || (view.kind === 'error' && view.source === 'invalid_json')) {
      kit.report(check(id, 'FAIL', `${missing}: ${outcome}`, backend));
    } else if (view.kind !== 'error') {
      kit.report(check(id, 'WARN', `${missing}: ${outcome}; the proxy ran it without required parameters`, backend));
    } else if (view.transient) {
      const why = 'the proxy let the command fail instead of rejecting the request (as Python proxies do)';
      kit.report(
        check(id, 'WARN', `${missing}: ${outcome}: ${why}, so the backend retries what cannot succeed`, backend),
      );
    } else if (!required.some((name) => view.message.includes(name))) {
      const said = quote(view.message);
      kit.report(
        check(id, 'WARN', `${missing}: ${outcome}, but the message ${said} names no missing parameter`, backend),
      );
    } else {
      kit.report(check(id, 'PASS', `${missing}: ${outcome}`, backend));
    }
  }
}

/** Checks each command called with every str/int/bool parameter of the wrong type: an error, not a run. */
export async function checkWrongTypes(kit: Kit, commands: readonly ListedCommand[]): Promise<void> {
  for (const command of commands) {
    const id = `do.wrong-types[${command.id}]`;
    const params: Record<string, unknown> = {};
    const wrong: string[] = [];
    for (const p of command.parameters) {
      if (isSecretName(p.id) && (p.type === 'str' || p.type === 'any')) params[p.id] = kit.fakeSecret;
      else if (p.type in WRONG) {
        params[p.id] = WRONG[p.type];
        wrong.push(`${p.id}: ${p.type}`);
      }
    }
    if (wrong.length === 0) {
      kit.report(check(id, 'SKIP', 'no str, int or bool parameter to give a wrong type'));
      continue;
    }
    const { reply, view } = await kit.call(id, command.id, { params });
    const outcome = outcomeOf(reply, view);
    const backend = describeView(view);
    const what = `wrong types for ${wrong.slice(0, 4).join(', ')}${wrong.length > 4 ? ' …' : ''}`;
    if (!reply.ok || view.kind === 'crash' || (view.kind === 'error' && view.source === 'invalid_json')) {
      kit.report(check(id, 'FAIL', `${what}: ${outcome}`, backend));
    } else if (view.kind !== 'error') {
      kit.report(check(id, 'WARN', `${what}: ${outcome}; the proxy ran it with wrongly typed values`, backend));
    } else if (view.transient) {
      kit.report(
        check(
          id,
          'WARN',
          `${what}: ${outcome}; a bad value is not a server error, yet the backend retries it`,
          backend,
        ),
      );
    } else {
      kit.report(check(id, 'PASS', `${what}: ${outcome}`, backend));
    }
  }
}

function rank(status: CheckStatus): number {
  return { SKIP: 0, PASS: 1, WARN: 2, FAIL: 3 }[status];
}
