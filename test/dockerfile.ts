import { readFileSync } from 'node:fs';

/** One Dockerfile instruction: its keyword and the rest of its (joined) line. */
export interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions grouped by stage (one list per FROM), comments and line continuations resolved. */
export function readStages(path: string): Instruction[][] {
  const joined = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*?)\s*$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').replace(/\s+/g, ' ');
    if (keyword === 'FROM') stages.push([]);
    stages.at(-1)?.push({ keyword, args });
  }
  return stages;
}

/** The exec-form (JSON array) command of a CMD or HEALTHCHECK instruction, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  const start = args.indexOf('[');
  if (start === -1) return undefined;
  const parsed: unknown = JSON.parse(args.slice(start));
  return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
}
