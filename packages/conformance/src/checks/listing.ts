import { describeReply, type Kit, type ListedCommand, type ListedParameter } from '../kit.js';
import { isDict, loadsLikePython } from '../python-json.js';
import { check, plural } from '../result.js';

const TYPES = new Set(['str', 'int', 'bool', 'any']);
const ID = /^[^/]+\/[^/]+$/;

/** What the listing check found: the commands to exercise, and how the listing was answered. */
export interface Listing {
  commands: ListedCommand[] | undefined;
  status: number | undefined;
}

/**
 * Checks `GET /v1/commands`: 200 and a JSON array whose entries have an id `connector/Command`
 * (no `/` inside a part) and parameters with an id, one of the four types and a boolean
 * `required`. Extra fields are allowed.
 */
export async function checkListing(kit: Kit): Promise<Listing> {
  const reply = await kit.get('/v1/commands');
  const fallback = 'offers no command of this proxy (it falls back to its embedded http connectors)';
  if (!reply.ok || reply.status !== 200) {
    const status = reply.ok ? reply.status : undefined;
    const hint =
      status === 401 || status === 403
        ? kit.apiKey === undefined
          ? ': the proxy wants an API key, give it with --api-key'
          : ': the proxy refuses the API key given'
        : '';
    kit.report(check('commands', 'FAIL', `GET /v1/commands answers ${describeReply(reply)}${hint}`, fallback));
    return { commands: undefined, status };
  }
  const loaded = loadsLikePython(reply.text);
  if (!loaded.ok || !Array.isArray(loaded.value)) {
    const what = loaded.ok ? 'JSON but not an array' : 'not JSON';
    kit.report(check('commands', 'FAIL', `GET /v1/commands answers 200 with ${what}`, fallback));
    return { commands: undefined, status: 200 };
  }
  kit.report(check('commands', 'PASS', `200, a JSON array of ${loaded.value.length} entries`));
  const { commands, problems, notes } = readEntries(loaded.value, 'Command');
  if (problems.length > 0) {
    kit.report(
      check('commands.shape', 'FAIL', `${plural(problems.length, 'problem')}: ${problems.slice(0, 3).join('; ')}`),
    );
  } else if (notes.length > 0) {
    kit.report(check('commands.shape', 'WARN', notes.join('; ')));
  } else {
    const params = commands.reduce((n, c) => n + c.parameters.length, 0);
    kit.report(check('commands.shape', 'PASS', `${commands.length} commands, ${params} parameters, all well formed`));
  }
  return { commands, status: 200 };
}

/** Checks `GET /v1/auths`: 200 and the same shape as the command listing; true when it answered 200. */
export async function checkAuths(kit: Kit): Promise<boolean> {
  const reply = await kit.get('/v1/auths');
  if (!reply.ok) {
    kit.report(check('auths', 'FAIL', `GET /v1/auths: ${describeReply(reply)}`, 'raises ConnectorProxyError'));
    return false;
  }
  if (reply.status !== 200) {
    kit.report(check('auths', 'WARN', `GET /v1/auths answers ${describeReply(reply)}`, 'lists no auths'));
    return false;
  }
  const loaded = loadsLikePython(reply.text);
  if (!loaded.ok || !Array.isArray(loaded.value)) {
    kit.report(
      check('auths', 'FAIL', `GET /v1/auths answers 200 with ${loaded.ok ? 'JSON but not an array' : 'not JSON'}`),
    );
    return true;
  }
  const { problems } = readEntries(loaded.value, 'Auth');
  kit.report(
    problems.length > 0
      ? check('auths', 'FAIL', `${plural(problems.length, 'problem')}: ${problems.slice(0, 3).join('; ')}`)
      : check('auths', 'PASS', `200, a JSON array of ${loaded.value.length} auths, well formed`),
  );
  return true;
}

function readEntries(
  entries: unknown[],
  noun: string,
): { commands: ListedCommand[]; problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const commands: ListedCommand[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of entries.entries()) {
    const where = isDict(entry) && typeof entry.id === 'string' ? JSON.stringify(entry.id) : `entry ${index}`;
    if (!isDict(entry)) {
      problems.push(`${where} is not an object`);
      continue;
    }
    if (typeof entry.id !== 'string' || !ID.test(entry.id)) {
      problems.push(`${where}: the id must be "connector/${noun}" with no "/" inside a part`);
      continue;
    }
    if (seen.has(entry.id)) notes.push(`${where} is listed twice`);
    seen.add(entry.id);
    if (!Array.isArray(entry.parameters)) {
      problems.push(`${where}: "parameters" must be an array`);
      continue;
    }
    const parameters: ListedParameter[] = [];
    const names = new Set<string>();
    for (const [i, param] of entry.parameters.entries()) {
      const at = `${where} parameter ${isDict(param) && typeof param.id === 'string' ? JSON.stringify(param.id) : i}`;
      if (!isDict(param) || typeof param.id !== 'string' || param.id === '') {
        problems.push(`${at}: needs a string id`);
        continue;
      }
      if (typeof param.type !== 'string' || !TYPES.has(param.type)) {
        problems.push(`${at}: type ${JSON.stringify(param.type)} is not one of str, int, bool, any`);
        continue;
      }
      if (typeof param.required !== 'boolean') {
        problems.push(`${at}: "required" must be true or false, got ${JSON.stringify(param.required)}`);
        continue;
      }
      if (names.has(param.id)) notes.push(`${at} is listed twice`);
      names.add(param.id);
      parameters.push({ id: param.id, type: param.type, required: param.required });
    }
    commands.push({ id: entry.id, parameters });
  }
  if (entries.length === 0) notes.push(`the listing is empty: there is nothing to exercise`);
  return { commands, problems, notes };
}
