import { applyBaseline, markBaseline } from './baseline.js';
import { type CallbackEndpoint, type CallbackOptions, startCallbackEndpoint } from './callback.js';
import type { ConformanceCase } from './cases.js';
import { checkApiKey } from './checks/api-key.js';
import { checkCases } from './checks/cases.js';
import { checkBadBodies, checkMissingParameters, checkUnknownCommand, checkWrongTypes } from './checks/dispatch.js';
import { checkEnvelopes } from './checks/envelopes.js';
import { checkAuths, checkListing } from './checks/listing.js';
import { checkLiveness } from './checks/liveness.js';
import { checkLongRunning, type LongRunningOptions } from './checks/long-running.js';
import { createKit, type ListedCommand } from './kit.js';
import { type CheckResult, type ConformanceResults, check } from './result.js';

/** Options of {@link runConformance}. */
export interface ConformanceOptions {
  /** The proxy's base URL, e.g. `http://127.0.0.1:7004`. */
  baseUrl: string;
  /** The proxy's API key (`Spiff-Connector-Proxy-Api-Key`); also checks it is required. */
  apiKey?: string | undefined;
  /** A callback endpoint: `true` or options to start one, or one already started (it is left running). */
  callback?: boolean | CallbackOptions | CallbackEndpoint | undefined;
  /** A command to drive through 202 and the callback (starts a callback endpoint when none is given). */
  longRunning?: LongRunningOptions | undefined;
  /** Cases of the user's own. */
  cases?: readonly ConformanceCase[] | undefined;
  /** Check ids expected to fail (an id ending in `*` is a prefix). */
  baseline?: readonly string[] | undefined;
  /** Exercise only these listed commands (default: every one). */
  commands?: readonly string[] | undefined;
  /** Per request; default 45,000, the backend's own timeout. */
  timeoutMs?: number | undefined;
  /** How long to wait for a callback; default 60,000. */
  callbackTimeoutMs?: number | undefined;
  /** How long to watch for a second delivery after one was accepted; default 1,000. */
  callbackGraceMs?: number | undefined;
  /** Told of each result as soon as it is known. */
  onResult?: ((result: CheckResult) => void) | undefined;
  /** Stops the run (requests in flight fail, waits end). */
  signal?: AbortSignal | undefined;
}

/**
 * Checks a running connector proxy against the protocol as SpiffArena's backend reads it, and
 * returns one result per check. Never throws for what the proxy does; throws only for options
 * that make no sense (a base URL that is not http or https).
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceResults> {
  const baseUrl = readBaseUrl(options.baseUrl);
  const results: CheckResult[] = [];
  const report = (result: CheckResult) => {
    results.push(result);
    options.onResult?.(markBaseline(result, options.baseline));
  };
  const { callback, owned } = await openCallback(options);
  const kit = createKit({
    baseUrl,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? 45_000,
    callback,
    signal: options.signal,
    report,
  });
  const timing = { timeoutMs: options.callbackTimeoutMs ?? 60_000, graceMs: options.callbackGraceMs ?? 1_000 };
  try {
    if (!(await checkLiveness(kit))) {
      report(check('reachable', 'FAIL', `nothing answers at ${baseUrl}: the other checks did not run`));
      return applyBaseline(baseUrl, results, options.baseline);
    }
    const listing = await checkListing(kit);
    const authsServed = await checkAuths(kit);
    const exercised = pickCommands(kit.report, listing.commands, options.commands);
    const target = exercised.find((c) => c.parameters.some((p) => p.required)) ?? exercised[0];
    await checkApiKey(kit, listing, authsServed, target?.id);
    if (listing.commands) {
      await checkUnknownCommand(kit, listing.commands);
      await checkBadBodies(kit, target?.id);
      await checkMissingParameters(kit, exercised);
      await checkWrongTypes(kit, exercised);
    }
    await checkCases(kit, options.cases ?? [], timing);
    await checkLongRunning(kit, listing.commands, options.longRunning, timing);
    checkEnvelopes(kit);
  } finally {
    if (owned) await callback?.close();
  }
  return applyBaseline(baseUrl, results, options.baseline);
}

function readBaseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`the base URL must be an http or https URL, got ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`the base URL must be an http or https URL, got ${JSON.stringify(text)}`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * The callback endpoint of the run: the one given, or one started here (closed at the end) when
 * asked for or needed by --long-running or a case that expects a callback.
 */
async function openCallback(
  options: ConformanceOptions,
): Promise<{ callback: CallbackEndpoint | undefined; owned: boolean }> {
  const given = options.callback;
  if (isEndpoint(given)) return { callback: given, owned: false };
  const needed = options.longRunning !== undefined || options.cases?.some((c) => c.expect.callback) === true;
  if ((given === undefined || given === false) && !needed) return { callback: undefined, owned: false };
  const settings = typeof given === 'object' ? given : {};
  return { callback: await startCallbackEndpoint(settings), owned: true };
}

function isEndpoint(value: unknown): value is CallbackEndpoint {
  return typeof value === 'object' && value !== null && 'register' in value && 'origin' in value;
}

function pickCommands(
  report: (result: CheckResult) => void,
  listed: readonly ListedCommand[] | undefined,
  only: readonly string[] | undefined,
): ListedCommand[] {
  if (!listed) return [];
  if (!only || only.length === 0) return [...listed];
  for (const id of only.filter((i) => !listed.some((c) => c.id === i))) {
    report(check(`command[${id}]`, 'FAIL', `${id} was asked for and is not in the listing`));
  }
  return listed.filter((c) => only.includes(c.id));
}
