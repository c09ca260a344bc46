import type { CheckResult, ConformanceResults } from './result.js';

/** One line of the report: `PASS id: reason -> backend: what it would do`. */
export function formatResult(result: CheckResult): string {
  const note = result.expected ? ' (expected: in the baseline)' : result.stale ? ' (in the baseline: remove it)' : '';
  const backend = result.backend ? ` -> backend: ${result.backend}` : '';
  return `${result.status} ${result.id}: ${result.reason}${note}${backend}`;
}

/**
 * The closing lines: `N passed, M failed` alone on its line, then warnings and skips, then what the
 * baseline should lose.
 */
export function formatSummary({ summary, staleBaseline, unknownBaseline }: ConformanceResults): string {
  const lines = [`${summary.passed} passed, ${summary.failed} failed`];
  const extra = [
    `${summary.warnings} ${summary.warnings === 1 ? 'warning' : 'warnings'}`,
    `${summary.skipped} skipped`,
  ];
  if (summary.expectedFailures > 0) extra.push(`${summary.expectedFailures} expected (baseline)`);
  lines.push(extra.join(', '));
  for (const id of staleBaseline) lines.push(`baseline: ${id} passes now; remove it from the baseline`);
  for (const id of unknownBaseline) lines.push(`baseline: ${id} names no check of this run`);
  return `${lines.join('\n')}\n`;
}

/** The whole report as text: one line per check, then the summary. */
export function formatReport(results: ConformanceResults): string {
  return `${results.results.map(formatResult).join('\n')}\n${formatSummary(results)}`;
}
