import { describeView } from '../backend.js';
import type { Reply } from '../http.js';
import { describeReply, type Kit } from '../kit.js';
import { isDict, loadsLikePython } from '../python-json.js';
import { type CheckResult, check } from '../result.js';
import type { Listing } from './listing.js';

type Verdict = { status: 'PASS' | 'WARN' | 'FAIL'; reason: string };

/**
 * With an API key: `/v1/commands`, `/v1/auths` and `/v1/do/...` answer 401 `{"error": ...}` without
 * it and with a wrong one (liveness stays open: the liveness checks never send it). Without one:
 * a warning when the proxy is open.
 */
export async function checkApiKey(
  kit: Kit,
  listing: Listing,
  authsServed: boolean,
  target: string | undefined,
): Promise<void> {
  if (kit.apiKey === undefined) {
    if (listing.status === 200) {
      const reason =
        'the proxy answers GET /v1/commands without an API key: anyone who reaches it can run its commands';
      kit.report(check('api-key', 'WARN', `${reason} (set one, and give it with --api-key to check it)`));
    } else {
      kit.report(check('api-key', 'SKIP', 'no --api-key given, and the listing did not answer 200'));
    }
    return;
  }
  const key = kit.apiKey;
  const wrong = [`${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`, `${key}x`, ''];
  const paths = authsServed ? ['/v1/commands', '/v1/auths'] : ['/v1/commands'];
  kit.report(await probe(kit, 'api-key.missing', 'without the key', [null], paths, target));
  kit.report(await probe(kit, 'api-key.wrong', 'with a wrong key', wrong, paths, target));
}

async function probe(
  kit: Kit,
  id: string,
  how: string,
  keys: (string | null)[],
  paths: string[],
  target: string | undefined,
): Promise<CheckResult> {
  const verdicts: Verdict[] = [];
  let backend: string | undefined;
  for (const key of keys) {
    for (const path of paths) {
      verdicts.push(judge(`GET ${path}`, await kit.get(path, key)));
    }
    if (target) {
      const { reply, view } = await kit.call(id, target, { apiKey: key });
      verdicts.push(judge(`POST /v1/do/${target}`, reply));
      backend ??= describeView(view);
    }
  }
  const worst = verdicts.find((v) => v.status === 'FAIL') ?? verdicts.find((v) => v.status === 'WARN');
  if (worst) return check(id, worst.status, `${how}: ${worst.reason}`, backend);
  return check(id, 'PASS', `${how}: ${verdicts.length} requests answered 401 {"error": ...}`, backend);
}

function judge(what: string, reply: Reply): Verdict {
  if (!reply.ok) return { status: 'FAIL', reason: `${what}: ${describeReply(reply)}` };
  if (reply.status >= 200 && reply.status < 300) {
    return { status: 'FAIL', reason: `${what} answers ${reply.status}: the proxy ignores its API key` };
  }
  if (reply.status !== 401) {
    return { status: 'FAIL', reason: `${what} answers ${describeReply(reply)}; the protocol says 401` };
  }
  const loaded = loadsLikePython(reply.text);
  if (!loaded.ok || !isDict(loaded.value) || typeof loaded.value.error !== 'string') {
    return { status: 'WARN', reason: `${what} answers 401 but not {"error": "..."}` };
  }
  return { status: 'PASS', reason: '' };
}
