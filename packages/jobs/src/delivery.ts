import http from 'node:http';
import https from 'node:https';
import { type Exempt, NOT_GUARDED } from './exempt.js';
import type { ArenaAnswer } from './job.js';

/** How the proxy proves itself to SpiffArena's callback endpoint. */
export type CallbackCredential = { kind: 'api-key'; value: string } | { kind: 'bearer'; value: string };

/** The header that carries a credential (a service account's key, or a token). */
export function credentialHeader(credential: CallbackCredential): [string, string] {
  return credential.kind === 'api-key'
    ? ['SpiffWorkflow-Api-Key', credential.value]
    : ['Authorization', `Bearer ${credential.value}`];
}

/** What one delivery attempt leads to. */
export type AttemptOutcome =
  | { outcome: 'delivered'; answer: ArenaAnswer }
  | { outcome: 'retry'; answer: ArenaAnswer; retryAfter: string | null }
  | { outcome: 'refused'; answer: ArenaAnswer };

/** Options of {@link deliverOnce}. */
export interface DeliverOptions {
  credential: CallbackCredential;
  /** An attempt that gets no answer within this many ms counts as a network failure. */
  timeoutMs: number;
  /** Aborts the attempt (shutdown); the attempt's outcome is then unknown and nothing is recorded. */
  signal?: AbortSignal;
  /** The connections callbacks go over (see {@link createCallbackAgents}); by default, ones the egress policy does not check. */
  agents?: CallbackAgents;
}

/** How much of Arena's answer is kept for `GET /v1/jobs/<id>`. */
export const ANSWER_BODY_LIMIT = 2_000;

/** Keep-alive agents for callbacks, one per scheme. */
export interface CallbackAgents {
  http: http.Agent;
  https: https.Agent;
}

/**
 * Agents whose connections are opened through `exempt`: a callback goes to SpiffArena, which is
 * the proxy's own peer, not a connector's destination, so the egress policy does not apply to it.
 */
export function createCallbackAgents(exempt: Exempt = NOT_GUARDED): CallbackAgents {
  class ExemptHttpAgent extends http.Agent {
    override createConnection(...args: Parameters<http.Agent['createConnection']>) {
      return exempt(() => super.createConnection(...args));
    }
  }
  class ExemptHttpsAgent extends https.Agent {
    override createConnection(...args: Parameters<https.Agent['createConnection']>) {
      return exempt(() => super.createConnection(...args));
    }
  }
  return { http: new ExemptHttpAgent({ keepAlive: true }), https: new ExemptHttpsAgent({ keepAlive: true }) };
}

let defaultAgents: CallbackAgents | undefined;

function agentsFor(options: DeliverOptions): CallbackAgents {
  if (options.agents) return options.agents;
  defaultAgents ??= createCallbackAgents();
  return defaultAgents;
}

/**
 * PUTs a callback envelope to its callback URL once and classifies the answer: a 2xx is
 * delivered; network failures, 408, 429 and 5xx may succeed later; anything else (400 for a bad
 * body or a task no longer waiting, 401/403 for credentials, 404, a redirect) will not.
 * Redirects are never followed, so the credential only ever goes to the checked origin.
 */
export async function deliverOnce(url: string, body: string, options: DeliverOptions): Promise<AttemptOutcome> {
  let res: Answer;
  try {
    res = await put(url, body, options);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { outcome: 'retry', answer: { at: Date.now(), error: describeFailure(error) }, retryAfter: null };
  }
  const answer: ArenaAnswer = { at: Date.now(), status: res.status, ...(res.text ? { body: res.text } : {}) };
  if (res.status >= 200 && res.status < 300) return { outcome: 'delivered', answer };
  if (res.status === 408 || res.status === 429 || res.status >= 500) {
    return { outcome: 'retry', answer, retryAfter: res.retryAfter };
  }
  return { outcome: 'refused', answer };
}

interface Answer {
  status: number;
  retryAfter: string | null;
  /** At most {@link ANSWER_BODY_LIMIT} characters of the answer's body. */
  text: string;
}

/** One PUT with a deadline for the whole exchange; the answer is read up to the limit, then dropped. */
function put(url: string, body: string, options: DeliverOptions): Promise<Answer> {
  const target = new URL(url);
  const agents = agentsFor(options);
  const secure = target.protocol === 'https:';
  const [name, value] = credentialHeader(options.credential);
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(target, {
      method: 'PUT',
      agent: secure ? agents.https : agents.http,
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'User-Agent': 'connector-proxy',
        [name]: value,
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const timer = setTimeout(() => request.destroy(new TimeoutError('no answer in time')), options.timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    request.on('error', fail);
    request.on('response', (response) => {
      response.setEncoding('utf8');
      let text = '';
      const done = () => {
        clearTimeout(timer);
        const retryAfter = response.headers['retry-after'];
        resolve({
          status: response.statusCode ?? 0,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
          text: text.length > ANSWER_BODY_LIMIT ? `${text.slice(0, ANSWER_BODY_LIMIT)}…` : text,
        });
      };
      response.on('data', (chunk: string) => {
        text += chunk;
        // Enough is kept; the rest is not read, and the connection is not reused.
        if (text.length > ANSWER_BODY_LIMIT) {
          response.destroy();
          done();
        }
      });
      response.on('end', done);
      response.on('error', () => done());
    });
    request.end(body);
  });
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** A network failure in a few words: the system error code when there is one. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : error;
  const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code ? `${code}: ${cause.message}` : `${cause.name}: ${cause.message}`;
}
