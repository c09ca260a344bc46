/**
 * Edit distance between two texts, ignoring case; a swap of two neighbours counts as one edit
 * (optimal string alignment), so "Exampel" is one edit from "Example".
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= s.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      row[j] = best;
    }
  }
  return at(s.length, t.length);
}

/** The candidates close to `wanted` (at most a third of its length in edits), closest first, at most `limit`. */
export function closest(wanted: string, candidates: readonly string[], limit = 3): string[] {
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(wanted, candidate) }))
    .filter(({ distance }) => distance <= allowed)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map(({ candidate }) => candidate);
}

/** ` (did you mean "a" or "b"?)`, or nothing when no candidate is close. */
export function didYouMean(wanted: string, candidates: readonly string[]): string {
  const near = closest(wanted, candidates).map((c) => JSON.stringify(c));
  if (near.length === 0) return '';
  const last = near.pop();
  return `; did you mean ${near.length > 0 ? `${near.join(', ')} or ${last}` : last}?`;
}
