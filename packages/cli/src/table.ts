/** One row of a {@link renderTable}: a cell may hold several lines. */
export type Row = readonly (string | readonly string[])[];

/** Renders rows as aligned columns separated by two spaces; the first row is the header. */
export function renderTable(rows: readonly Row[]): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? [cell] : cell)));
  const widths: number[] = [];
  for (const row of cells) {
    row.forEach((lines, i) => {
      for (const line of lines) widths[i] = Math.max(widths[i] ?? 0, line.length);
    });
  }
  const out: string[] = [];
  for (const row of cells) {
    const height = Math.max(1, ...row.map((lines) => lines.length));
    for (let n = 0; n < height; n++) {
      const line = row.map((lines, i) =>
        i === row.length - 1 ? (lines[n] ?? '') : (lines[n] ?? '').padEnd(widths[i] ?? 0),
      );
      out.push(line.join('  ').trimEnd());
    }
  }
  return `${out.join('\n')}\n`;
}

/** Splits items (joined by ", ") or words into lines of at most `width` characters. */
export function wrap(parts: readonly string[], width: number, separator = ', '): string[] {
  const lines: string[] = [];
  let line = '';
  parts.forEach((part, i) => {
    const piece = i < parts.length - 1 ? `${part}${separator.trimEnd()}` : part;
    if (line !== '' && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = piece;
    } else {
      line = line === '' ? piece : `${line} ${piece}`;
    }
  });
  if (line !== '') lines.push(line);
  return lines;
}

/** "1 command", "2 commands". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
