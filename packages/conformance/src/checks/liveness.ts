import type { Reply } from '../http.js';
import { describeReply, type Kit } from '../kit.js';
import { isDict, loadsLikePython } from '../python-json.js';
import { check } from '../result.js';

/**
 * Checks `GET /liveness`, `GET /v1/liveness` (200 `{"ok": true}`, without the API key) and `GET /`.
 * Returns false when the proxy does not answer at all, so the run can stop early.
 */
export async function checkLiveness(kit: Kit): Promise<boolean> {
  let answered = false;
  for (const path of ['/liveness', '/v1/liveness']) {
    const reply = await kit.get(path, null);
    answered ||= reply.ok;
    kit.report(livenessResult(`liveness[${path}]`, reply, kit.apiKey !== undefined));
  }
  if (!answered) return false;
  const home = await kit.get('/', null);
  kit.report(
    home.ok && home.status === 200
      ? check('home', 'PASS', `GET / answers 200 (${describeReply(home)})`)
      : check('home', 'WARN', `GET / answers ${describeReply(home)}; the protocol gives it 200 and a short text`),
  );
  return true;
}

function livenessResult(id: string, reply: Reply, keyed: boolean): ReturnType<typeof check> {
  const open = keyed ? ' without the API key' : '';
  if (!reply.ok) return check(id, 'FAIL', `${describeReply(reply)}: health checks see the proxy down`);
  if (reply.status !== 200) {
    const hint = reply.status === 401 || reply.status === 403 ? ': liveness must stay open without the API key' : '';
    return check(id, 'FAIL', `answers ${describeReply(reply)}${open}${hint}; it must be 200 {"ok": true}`);
  }
  const loaded = loadsLikePython(reply.text);
  if (!loaded.ok || !isDict(loaded.value) || loaded.value.ok !== true) {
    return check(
      id,
      'WARN',
      `answers 200${open} but not {"ok": true}: a health check that reads the body sees it down`,
    );
  }
  return check(id, 'PASS', `200 {"ok": true}${open}`);
}
