import type { Kit } from '../kit.js';
import { isDict, loadsLikePython } from '../python-json.js';
import { check, plural } from '../result.js';

/** A version-2 envelope the proxy sent: in an answer, or in a callback it PUT. */
interface Envelope {
  where: string;
  status: number;
  envelope: Record<string, unknown>;
  text: string;
}

/**
 * Checks every version-2 envelope the run saw (answers and callbacks): `spiff__logs` present as a
 * list, free of the secrets the kit sent, and the envelope's fields as the protocol shapes them.
 * Also checks that redirects, when there were any, are 307/308.
 */
export function checkEnvelopes(kit: Kit): void {
  const envelopes: Envelope[] = [];
  const texts: { where: string; text: string; logs: string }[] = [];
  for (const { check: from, reply, view } of kit.exchanges) {
    if (!reply.ok) continue;
    const where = `${from} (${reply.status})`;
    const logs =
      isDict(view.json) && Object.hasOwn(view.json, 'spiff__logs') ? JSON.stringify(view.json.spiff__logs) : '';
    texts.push({ where, text: reply.text, logs });
    if (view.version2 && isDict(view.json))
      envelopes.push({ where, status: reply.status, envelope: view.json, text: reply.text });
  }
  for (const delivery of kit.callback?.deliveries() ?? []) {
    const where = `the callback PUT to ${delivery.path}`;
    const loaded = loadsLikePython(delivery.text || '{}');
    const json = loaded.ok && isDict(loaded.value) ? loaded.value : undefined;
    texts.push({
      where,
      text: delivery.text,
      logs: json && Object.hasOwn(json, 'spiff__logs') ? JSON.stringify(json.spiff__logs) : '',
    });
    const version = json?.command_response_version;
    if (json && typeof version === 'number' && version > 1)
      envelopes.push({ where, status: 200, envelope: json, text: delivery.text });
  }

  if (envelopes.length === 0) {
    kit.report(
      check('envelope.spiff-logs', 'SKIP', 'no version-2 envelope was seen (add a --case that runs a command)'),
    );
  } else {
    const bad = envelopes.filter((e) => !Array.isArray(e.envelope.spiff__logs));
    const first = bad[0];
    kit.report(
      first
        ? check(
            'envelope.spiff-logs',
            'FAIL',
            `${bad.length} of ${envelopes.length} version-2 envelopes lack a spiff__logs list, e.g. ${first.where}: the protocol requires it (use [])`,
          )
        : check('envelope.spiff-logs', 'PASS', `all ${envelopes.length} version-2 envelopes carry spiff__logs`),
    );
  }

  const inLogs = texts.find((t) => kit.secrets.findIn(t.logs));
  const inText = texts.find((t) => kit.secrets.findIn(t.text));
  if (inLogs) {
    const how = kit.secrets.findIn(inLogs.logs);
    kit.report(
      check(
        'envelope.secrets',
        'FAIL',
        `spiff__logs of ${inLogs.where} hold a secret the kit sent (${how}): the backend copies them into its log`,
      ),
    );
  } else if (inText) {
    const how = kit.secrets.findIn(inText.text);
    kit.report(
      check(
        'envelope.secrets',
        'WARN',
        `${inText.where} echoes a secret the kit sent (${how}): the backend keeps error messages and bodies in the task`,
      ),
    );
  } else {
    kit.report(check('envelope.secrets', 'PASS', `none of ${texts.length} answers holds a secret the kit sent`));
  }

  if (envelopes.length > 0) {
    const problems = envelopes.flatMap(shapeProblems);
    kit.report(
      problems.length > 0
        ? check('envelope.shape', 'WARN', `${plural(problems.length, 'problem')}: ${problems.slice(0, 3).join('; ')}`)
        : check(
            'envelope.shape',
            'PASS',
            `all ${envelopes.length} version-2 envelopes are shaped as the protocol's schema`,
          ),
    );
  }

  const redirects = kit.exchanges.flatMap((e) => (e.reply.ok ? e.reply.redirects : []));
  if (redirects.length > 0) {
    const bad = redirects.find((r) => r.status !== 307 && r.status !== 308);
    kit.report(
      bad
        ? check(
            'do.redirects',
            'FAIL',
            `a /v1/do call was redirected with ${bad.status}: only 307/308 keep the POST and its body`,
          )
        : check('do.redirects', 'PASS', `${redirects.length} redirects, all 307/308`),
    );
  }
}

/** Where an envelope departs from the protocol's schema, in ways the backend tolerates. */
function shapeProblems({ where, status, envelope }: Envelope): string[] {
  const problems: string[] = [];
  if (envelope.command_response_version !== 2) {
    problems.push(`${where}: command_response_version is ${JSON.stringify(envelope.command_response_version)}, not 2`);
  }
  const error = envelope.error;
  if (!Object.hasOwn(envelope, 'error')) problems.push(`${where}: no "error" key (null when there is none)`);
  else if (
    error !== null &&
    !(isDict(error) && typeof error.error_code === 'string' && typeof error.message === 'string')
  ) {
    problems.push(`${where}: error must be null or {"error_code": string, "message": string}`);
  }
  const response = envelope.command_response;
  if (isDict(response)) {
    const httpStatus = response.http_status;
    if (
      httpStatus !== undefined &&
      !(Number.isInteger(httpStatus) && Number(httpStatus) >= 100 && Number(httpStatus) <= 599)
    ) {
      problems.push(`${where}: http_status ${JSON.stringify(httpStatus)} is not an integer 100-599`);
    }
    if (status >= 200 && status < 300 && (!Object.hasOwn(response, 'body') || typeof response.mimetype !== 'string')) {
      problems.push(
        `${where}: command_response lacks "body" or "mimetype", which the schema requires (also beside an error)`,
      );
    }
  }
  return problems;
}
