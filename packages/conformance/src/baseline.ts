import type { CheckResult, ConformanceResults, Summary } from './result.js';

/**
 * Reads a baseline of expected failures: a JSON array of check ids (or `{"expectedFailures": [...]}`),
 * or text with one id a line, `#` comments, and YAML-style `- id` items. An id ending in `*`
 * matches every id that starts with the rest.
 */
export function parseBaseline(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`the baseline is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const list =
      typeof value === 'object' && value !== null && !Array.isArray(value) && 'expectedFailures' in value
        ? value.expectedFailures
        : value;
    if (!Array.isArray(list) || !list.every((id) => typeof id === 'string')) {
      throw new Error('a JSON baseline must be a list of check ids, or {"expectedFailures": [ids]}');
    }
    return list.map((id) => id.trim()).filter(Boolean);
  }
  return text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .map((line) => line.replace(/^-\s+/, '').replace(/^(['"])(.*)\1$/, '$2'))
    .filter((line) => line !== '' && !line.endsWith(':'));
}

function matches(entry: string, id: string): boolean {
  return entry.endsWith('*') ? id.startsWith(entry.slice(0, -1)) : entry === id;
}

/** A result marked as the baseline sees it: an expected failure, or a stale entry that passes now. */
export function markBaseline(result: CheckResult, baseline: readonly string[] = []): CheckResult {
  const listed = baseline.some((entry) => matches(entry, result.id));
  if (listed && result.status === 'FAIL') return { ...result, expected: true };
  if (listed && result.status === 'PASS') return { ...result, stale: true };
  return { ...result };
}

/** Marks the baseline's expected failures and stale entries, and counts the run. */
export function applyBaseline(
  baseUrl: string,
  results: readonly CheckResult[],
  baseline: readonly string[] = [],
): ConformanceResults {
  const marked = results.map((result) => markBaseline(result, baseline));
  const summary: Summary = { passed: 0, failed: 0, warnings: 0, skipped: 0, expectedFailures: 0 };
  for (const result of marked) {
    if (result.status === 'PASS') summary.passed++;
    else if (result.status === 'WARN') summary.warnings++;
    else if (result.status === 'SKIP') summary.skipped++;
    else if (result.expected) summary.expectedFailures++;
    else summary.failed++;
  }
  return {
    baseUrl,
    results: marked,
    summary,
    staleBaseline: marked.filter((r) => r.stale).map((r) => r.id),
    unknownBaseline: baseline.filter((entry) => !results.some((r) => matches(entry, r.id))),
    ok: summary.failed === 0,
  };
}
