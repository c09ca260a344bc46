import { CommandError, type CommandResult } from '@connector-proxy/core';
import type { AnswerHeaders } from './headers.js';
import { readPythonJson } from './python-json.js';
import { toJsonFromXml } from './xml.js';

/** What came back from one HTTP call, body fully read. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: AnswerHeaders;
  bytes: Uint8Array;
}

/** How a result is built from an answer. */
export interface ResultOptions {
  /** HEAD answers never have a body, whatever their Content-Type says. */
  method: string;
  /** `METHOD url` as the logs show it, for messages. */
  where: string;
  includeHeaders: boolean;
}

/** Upstream text in error messages is cut here, so a huge error page cannot flood the task. */
export const EXCERPT_LENGTH = 1_000;

/**
 * Turns an answer into the command's result, the same way for both families: JSON parsed, XML
 * made into xmltodict's JSON, anything else as `{raw_response: text}`; mimetype
 * application/json and the upstream status. A status of 400 or more throws `HttpError<status>`.
 */
export function toCommandResult(answer: HttpAnswer, options: ResultOptions): CommandResult {
  const contentType = answer.headers.get('content-type') ?? '';
  const text = toText(answer.bytes, contentType);
  const { status } = answer;
  if (status >= 400) {
    const what = `HTTP ${status}${answer.statusText ? ` ${answer.statusText}` : ''} from ${options.where}`;
    // The parsed upstream answer rides along, as in Python: a diagram can read the API's error body.
    throw new CommandError(`HttpError${status}`, toErrorMessage(what, text), {
      httpStatus: status,
      body: toErrorBody(answer.status, contentType, text, options.method),
    });
  }
  const result: CommandResult = {
    body: toResponseBody(answer.status, contentType, text, options.method),
    mimetype: 'application/json',
    httpStatus: status,
  };
  if (options.includeHeaders) result.headers = answer.headers.toRecord();
  return result;
}

/** The message shape of the Python connector: what went wrong, then the (bounded) upstream text. */
export function toErrorMessage(what: string, raw?: string): string {
  return `Received Error: ${what}. Raw http_response was: ${raw === undefined ? 'None' : toExcerpt(raw)}`;
}

function toExcerpt(text: string): string {
  if (text.length <= EXCERPT_LENGTH) return text;
  return `${text.slice(0, EXCERPT_LENGTH)}… (${text.length - EXCERPT_LENGTH} more characters)`;
}

function toResponseBody(status: number, contentType: string, text: string, method: string): unknown {
  // No body by definition: reading one as JSON would fail on every HEAD of a JSON API.
  if (method === 'HEAD' || status === 204 || status === 304) return { raw_response: text };
  // A substring test, as Python's: "application/json; charset=utf-8" counts, "application/problem+json" does not.
  const type = contentType.toLowerCase();
  if (type.includes('application/json')) {
    return parseOrThrow('JSONDecodeError', 'JSON', status, text, () => readPythonJson(text));
  }
  if (type.includes('application/xml') || type.includes('text/xml')) {
    return parseOrThrow('ExpatError', 'XML', status, text, () => toJsonFromXml(text));
  }
  return { raw_response: text };
}

/** The body beside an HttpError: parsed when it parses, else the text, never a second error. */
function toErrorBody(status: number, contentType: string, text: string, method: string): unknown {
  try {
    return toResponseBody(status, contentType, text, method);
  } catch {
    return { raw_response: text };
  }
}

function parseOrThrow(code: string, kind: string, status: number, text: string, parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const what = `the response claims to be ${kind} but is not well-formed ${kind} (${reason})`;
    // The raw answer rides along, as in Python, so a boundary event can still read what came back.
    throw new CommandError(code, toErrorMessage(what, text), {
      httpStatus: status,
      body: { raw_response: text },
      cause: error,
    });
  }
}

/**
 * Decodes the body: with the charset the Content-Type names, else the one a byte order mark
 * shows, else the `encoding` of an XML declaration (legacy and SOAP services often name it
 * only there), else UTF-8. A BOM is dropped.
 */
function toText(bytes: Uint8Array, contentType: string): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  const label = charset ?? toBomEncoding(bytes) ?? toXmlDeclaredEncoding(bytes);
  return toDecoder(label).decode(bytes);
}

function toBomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

const XML_DECLARATION = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/;

/** The encoding an XML declaration names; read as single bytes, so a UTF-16/32 claim cannot be true. */
function toXmlDeclaredEncoding(bytes: Uint8Array): string | undefined {
  if (!startsWithTag(bytes)) return undefined;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 256)).toString('latin1');
  const encoding = XML_DECLARATION.exec(head)?.[1];
  return encoding === undefined || /^utf-?(16|32)/i.test(encoding) ? undefined : encoding;
}

/**
 * True when the first byte that is not whitespace (what `\s` matches in Latin-1) is `<`: only
 * then can XML_DECLARATION match, and a JSON answer skips the Latin-1 copy and the regex.
 */
function startsWithTag(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length; index += 1) {
    const byte = bytes[index] as number;
    if (byte === 0x3c) return true;
    if (!((byte >= 0x09 && byte <= 0x0d) || byte === 0x20 || byte === 0xa0)) return false;
  }
  return false;
}

// decode() without `stream` keeps no state between calls, so one decoder serves every UTF-8 answer.
const UTF8 = new TextDecoder('utf-8');

function toDecoder(charset: string | undefined) {
  if (charset === undefined || charset === 'utf-8' || charset === 'UTF-8') return UTF8;
  try {
    return new TextDecoder(charset);
  } catch {
    return new TextDecoder('utf-8');
  }
}
