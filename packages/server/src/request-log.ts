/** One line of the request log; never holds headers, bodies or parameter values. */
export interface RequestLogEntry {
  method: string;
  path: string;
  /** What the client got; 499 when it closed the connection before the answer (as nginx logs it). */
  status: number;
  ms: number;
  command?: string;
  errorCode?: string;
}

/**
 * What a text log field must not carry as it is: controls (C0, DEL, C1), surrogates, format
 * characters (bidi overrides, zero-width), private-use and unassigned code points, every kind of
 * space and line or paragraph separator (U+2028/2029), and the backslash that starts an escape.
 * The router percent-decodes the path, so a client can put any of these in it.
 */
const UNSAFE_IN_TEXT = /[\\\p{C}\p{Z}]/gu;

/** The same for a JSON line, whose writer already escapes C0, quotes, backslashes and lone surrogates. */
const UNSAFE_IN_JSON = /[\p{C}\p{Zl}\p{Zp}]/gu;

/**
 * One field of a text log line, escaped so that it cannot start a new line, pose as another field
 * or reorder what a terminal shows: `\xHH`, `\uHHHH` or `\u{HHHHH}` for each unsafe code point,
 * `\\` for a backslash. Printable text (accents, CJK, emoji) stays as it is.
 */
export function escapeLogField(value: string): string {
  return value.replace(UNSAFE_IN_TEXT, (ch) => {
    if (ch === '\\') return '\\\\';
    const code = ch.codePointAt(0) ?? 0;
    if (code <= 0xff) return `\\x${hex(code, 2)}`;
    return code <= 0xffff ? `\\u${hex(code, 4)}` : `\\u{${code.toString(16).toUpperCase()}}`;
  });
}

/** A JSON text with the remaining invisible characters written as `\uHHHH` escapes (the same value). */
export function escapeJsonLine(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (ch) => {
    let escaped = '';
    for (let i = 0; i < ch.length; i++) escaped += `\\u${hex(ch.charCodeAt(i), 4)}`;
    return escaped;
  });
}

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}
