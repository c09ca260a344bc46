/**
 * Table and column names as PostgreSQL reads them, turned into quoted identifiers. Whatever the
 * diagram sends can only ever name an identifier: the text is parsed with PostgreSQL's own rules
 * (an unquoted name folds to lower case, a "quoted" name keeps its case, `schema.table` is
 * qualified) and every part is written back quoted, so no character of it reaches the SQL as syntax.
 */
import { describeValue } from '@connector-proxy/core';
import { invalidParameters } from './errors.js';

/** Why a text is not a name, for an InvalidParameters message; undefined when it is one. */
export type NameProblem = string;

/** The parts of a possibly qualified name, after PostgreSQL's folding; or what is wrong with it. */
export function parseName(text: string, maxParts: number): { parts: string[] } | { problem: NameProblem } {
  const reader = { text: text.trim(), at: 0 };
  if (reader.text === '') return { problem: 'is empty' };
  if (LONE_SURROGATE.test(reader.text)) return { problem: 'is not valid Unicode text' };
  const parts: string[] = [];
  for (;;) {
    const part = readPart(reader);
    if (typeof part !== 'string') return part;
    parts.push(part);
    const end = reader.at;
    skipSpaces(reader);
    if (reader.at === reader.text.length) break;
    if (reader.text[reader.at] !== '.') {
      if (reader.at > end) return { problem: 'has a space inside a name (quote it: "My Name")' };
      return { problem: `has ${describeChar(reader)} where a name ends` };
    }
    reader.at += 1;
    skipSpaces(reader);
  }
  if (parts.length > maxParts) {
    return { problem: maxParts === 1 ? 'must be a single name, not a qualified one' : 'has too many parts' };
  }
  return { parts };
}

/** A table name, possibly `schema.table`, as quoted SQL; an InvalidParameters error names `field`. */
export function readTableName(text: string, field: string): string {
  const name = parseName(text, 2);
  if ('problem' in name)
    throw invalidParameters(`${field} is not a table name: ${describeValue(text)} ${name.problem}`);
  return toSqlName(name.parts);
}

/** A column name as quoted SQL; an InvalidParameters error names `field`. */
export function readColumnName(text: string, field: string): string {
  const name = parseName(text, 1);
  if ('problem' in name)
    throw invalidParameters(`${field} is not a column name: ${describeValue(text)} ${name.problem}`);
  return toSqlName(name.parts);
}

/** Quotes one identifier part: the only way a name is ever written into SQL here. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A parsed name written back as SQL: each part quoted, joined with dots. */
export function toSqlName(parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join('.');
}

interface Reader {
  text: string;
  at: number;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** PostgreSQL's ident_start: a letter, an underscore or any non-ASCII character. */
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
/** PostgreSQL's ident_cont: the same plus digits and `$`. */
const IDENT_CONT = /[A-Za-z0-9_$\u0080-\uffff]/;

function readPart(reader: Reader): string | { problem: NameProblem } {
  const { text } = reader;
  const first = text[reader.at];
  if (first === '"') return readQuoted(reader);
  if (first === undefined || !IDENT_START.test(first)) {
    return { problem: `has ${describeChar(reader)} where a name should start (quote it: "My Name")` };
  }
  const start = reader.at;
  while (reader.at < text.length && IDENT_CONT.test(text[reader.at] ?? '')) reader.at += 1;
  // As PostgreSQL's downcase_identifier does in a UTF-8 database: only ASCII letters fold.
  return text.slice(start, reader.at).replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function readQuoted(reader: Reader): string | { problem: NameProblem } {
  const { text } = reader;
  let name = '';
  let at = reader.at + 1;
  for (;;) {
    const end = text.indexOf('"', at);
    if (end === -1) return { problem: 'has a quoted name without its closing "' };
    name += text.slice(at, end);
    if (text[end + 1] === '"') {
      name += '"';
      at = end + 2;
      continue;
    }
    reader.at = end + 1;
    break;
  }
  if (name === '') return { problem: 'has an empty quoted name ""' };
  if (name.includes('\0')) return { problem: 'contains a NUL character' };
  return name;
}

function skipSpaces(reader: Reader): void {
  while (reader.at < reader.text.length && /\s/.test(reader.text[reader.at] ?? '')) reader.at += 1;
}

function describeChar(reader: Reader): string {
  const char = reader.text[reader.at];
  if (char === undefined) return 'nothing';
  if (/\s/.test(char)) return 'a space';
  return JSON.stringify(char);
}
