import { CommandError, type CommandResult } from '@connector-proxy/core';
import { readPythonJson } from './python-json.js';
import { toJsonFromXml } from './xml.js';

/** What came back from one HTTP call, body fully read. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  headers: Headers;
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
  const text = toText(answer);
  const { status } = answer;
  if (status >= 400) {
    const what = `HTTP ${status}${answer.statusText ? ` ${answer.statusText}` : ''} from ${options.where}`;
    // The parsed upstream answer rides along, as in Python: a diagram can read the API's error body.
    throw new CommandError(`HttpError${status}`, toErrorMessage(what, text), {
      httpStatus: status,
      body: toErrorBody(answer, text, options.method),
    });
  }
  const result: CommandResult = {
    body: toResponseBody(answer, text, options.method),
    mimetype: 'application/json',
    httpStatus: status,
  };
  if (options.includeHeaders) result.headers = toHeaderRecord(answer.headers);
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

function toResponseBody(answer: HttpAnswer, text: string, method: string): unknown {
  // No body by definition: reading one as JSON would fail on every HEAD of a JSON API.
  if (method === 'HEAD' || answer.status === 204 || answer.status === 304) return { raw_response: text };
  // A substring test, as Python's: "application/json; charset=utf-8" counts, "application/problem+json" does not.
  const contentType = (answer.headers.get('content-type') ?? '').toLowerCase();
  if (contentType.includes('application/json')) {
    return parseOrThrow('JSONDecodeError', 'JSON', answer.status, text, () => readPythonJson(text));
  }
  if (contentType.includes('application/xml') || contentType.includes('text/xml')) {
    return parseOrThrow('ExpatError', 'XML', answer.status, text, () => toJsonFromXml(text));
  }
  return { raw_response: text };
}

/** The body beside an HttpError: parsed when it parses, else the text, never a second error. */
function toErrorBody(answer: HttpAnswer, text: string, method: string): unknown {
  try {
    return toResponseBody(answer, text, method);
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
function toText(answer: HttpAnswer): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(answer.headers.get('content-type') ?? '')?.[1];
  const label = charset ?? toBomEncoding(answer.bytes) ?? toXmlDeclaredEncoding(answer.bytes);
  return toDecoder(label).decode(answer.bytes);
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
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 256)).toString('latin1');
  const encoding = XML_DECLARATION.exec(head)?.[1];
  return encoding === undefined || /^utf-?(16|32)/i.test(encoding) ? undefined : encoding;
}

function toDecoder(charset: string | undefined) {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

/** Response headers by lower-case name; several Set-Cookie headers are joined as Python's requests joins them. */
function toHeaderRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = name === 'set-cookie' ? headers.getSetCookie().join(', ') : value;
  });
  return record;
}
