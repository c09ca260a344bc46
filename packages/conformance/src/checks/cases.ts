import { type BackendView, describeView } from '../backend.js';
import type { ConformanceCase } from '../cases.js';
import type { Kit } from '../kit.js';
import { mismatch } from '../match.js';
import { check } from '../result.js';
import { awaitCallback, judgeCallback } from './callback-flow.js';
import type { CallbackTiming } from './long-running.js';

/** Runs the user's cases: each answer (and callback) must be what the case says the backend sees. */
export async function checkCases(kit: Kit, cases: readonly ConformanceCase[], timing: CallbackTiming): Promise<void> {
  for (const item of cases) {
    const id = `case[${item.name}]`;
    const { reply, view, task } = await kit.call(id, item.command, {
      ...(item.params ? { params: item.params } : {}),
      ...(item.taskData ? { taskData: item.taskData } : {}),
    });
    const backend = describeView(view);
    const { expect } = item;
    const problem =
      (expect.status !== undefined && (!reply.ok || reply.status !== expect.status)
        ? `expected status ${expect.status}, got ${reply.ok ? reply.status : 'no answer'}`
        : undefined) ?? outcomeProblem(view, expect.outcome, expect.errorCode, expect.result);
    if (problem) {
      kit.report(check(id, 'FAIL', `${item.command}: ${problem}`, backend));
      continue;
    }
    if (!expect.callback) {
      kit.report(check(id, 'PASS', `${item.command}: as expected`, backend));
      continue;
    }
    if (!kit.callback) {
      kit.report(check(id, 'FAIL', `${item.command}: the case expects a callback, and no callback endpoint runs`));
      continue;
    }
    const delivered = await awaitCallback(kit.callback, task.guid, timing.timeoutMs, timing.graceMs, kit.signal);
    const verdict = judgeCallback(delivered, timing.timeoutMs);
    const read = delivered.accepted?.read;
    if (verdict.status === 'FAIL' || !read || read.kind !== 'completed') {
      kit.report(check(id, 'FAIL', `${item.command}: accepted, then ${verdict.reason}`, verdict.backend));
      continue;
    }
    const wanted = expect.callback;
    const got = read.error ? `error ${read.error.errorCode}` : 'result';
    const callbackProblem =
      wanted.outcome === 'error'
        ? !read.error
          ? 'expected the callback to carry an error, it carries a result'
          : wanted.errorCode !== undefined && read.error.errorCode !== wanted.errorCode
            ? `expected the callback's error ${wanted.errorCode}, got ${read.error.errorCode}`
            : undefined
        : read.error
          ? `expected the callback to carry a result, it carries ${got}`
          : wanted.result !== undefined
            ? mismatch(read.stored, wanted.result, 'callback body')
            : undefined;
    kit.report(
      check(
        id,
        callbackProblem ? 'FAIL' : 'PASS',
        `${item.command}: ${callbackProblem ?? `accepted, then called back with a ${got} as expected`}`,
        verdict.backend,
      ),
    );
  }
}

function outcomeProblem(
  view: BackendView,
  outcome: ConformanceCase['expect']['outcome'],
  errorCode: string | undefined,
  result: unknown,
): string | undefined {
  const got =
    view.kind === 'error'
      ? `error ${view.errorCode}`
      : view.kind === 'crash'
        ? `a crash (${view.exception})`
        : view.kind;
  if (view.kind !== outcome) return `expected ${outcome}${errorCode ? ` ${errorCode}` : ''}, the backend sees ${got}`;
  if (view.kind === 'error' && errorCode !== undefined && view.errorCode !== errorCode) {
    return `expected error ${errorCode}, the backend sees ${got}`;
  }
  if (view.kind === 'result' && result !== undefined) return mismatch(view.stored, result);
  return undefined;
}
