/** PASS; FAIL breaks a MUST of the protocol; WARN breaks a SHOULD; SKIP could not be checked. */
export type CheckStatus = 'PASS' | 'FAIL' | 'WARN' | 'SKIP';

/** The outcome of one check: one line of the report. */
export interface CheckResult {
  /** Stable id, for baselines: `liveness`, `do.missing-parameters[smtp/SendEmail]`, `case[my case]`. */
  id: string;
  status: CheckStatus;
  /** Why, in one line. */
  reason: string;
  /** What SpiffArena's backend would do with the answer, when the check is about one. */
  backend?: string | undefined;
  /** A FAIL the baseline expects: it does not fail the run. */
  expected?: boolean;
  /** Listed in the baseline but it passes now: the baseline can shrink. */
  stale?: boolean;
}

/** Counts of a run; `failed` counts only failures the baseline does not expect. */
export interface Summary {
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
  expectedFailures: number;
}

/** Everything a run found. */
export interface ConformanceResults {
  baseUrl: string;
  results: CheckResult[];
  summary: Summary;
  /** Baseline ids whose checks pass now. */
  staleBaseline: string[];
  /** Baseline ids that name no check of this run. */
  unknownBaseline: string[];
  /** True when no check failed unexpectedly. */
  ok: boolean;
}

const MAX_TEXT = 240;

/** Makes a text fit on one line of the report: whitespace folded, long quotes cut. */
export function oneLine(text: string, max = MAX_TEXT): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  return folded.length > max ? `${folded.slice(0, max - 1)}…` : folded;
}

/** Builds a result with its texts kept to one line. */
export function check(id: string, status: CheckStatus, reason: string, backend?: string): CheckResult {
  return { id, status, reason: oneLine(reason, 400), ...(backend ? { backend: oneLine(backend, 400) } : {}) };
}

/** A quoted excerpt of something a proxy said. */
export function quote(text: string, max = 80): string {
  return JSON.stringify(oneLine(text, max));
}

/** `1 problem`, `3 problems`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
