import { describeValue, isPlainObject, kindOf } from '@connector-proxy/core';
import { invalidParameters } from './errors.js';

/** A file to attach, decoded and ready for the message. */
export interface Attachment {
  filename: string;
  content: Buffer;
  /** Left out when neither the item nor its data URL says; nodemailer then guesses from the filename. */
  contentType: string | undefined;
}

/**
 * Reads `email_attachments`: a list whose items are either a data URL, the value SpiffArena's
 * file fields produce (`data:application/pdf;name=report.pdf;base64,JVBERi0...`), or an object
 * `{ filename, content, content_type }` whose `content` is base64 or a data URL. A single item
 * may be given without the list. Anything else is an InvalidParameters error naming the item.
 */
export function readAttachments(value: unknown, id: string): Attachment[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, index) => readAttachment(item, `${id}[${index}]`, `attachment-${index + 1}`));
}

function readAttachment(item: unknown, where: string, fallbackName: string): Attachment {
  if (typeof item === 'string') {
    const file = readContent(item, where);
    return { filename: file.name ?? fallbackName, content: file.content, contentType: file.contentType };
  }
  if (!isPlainObject(item)) {
    throw invalidParameters(
      `${where} must be a data URL or an object { filename, content, content_type }, got ${kindOf(item)}`,
    );
  }
  const filename = optionalText(item.filename, `${where}.filename`);
  const contentType = optionalText(item.content_type, `${where}.content_type`);
  if (typeof item.content !== 'string') {
    throw invalidParameters(`${where}.content must be base64 or a data URL, got ${kindOf(item.content)}`);
  }
  const file = readContent(item.content, `${where}.content`);
  return {
    filename: filename ?? file.name ?? fallbackName,
    content: file.content,
    contentType: contentType ?? file.contentType,
  };
}

interface DecodedContent {
  content: Buffer;
  name: string | undefined;
  contentType: string | undefined;
}

const DATA_URL = /^data:([^,]*),(.*)$/s;

/** Decodes base64 text or a data URL (RFC 2397), keeping the media type and a `name=` parameter. */
function readContent(text: string, where: string): DecodedContent {
  const dataUrl = DATA_URL.exec(text.trim());
  if (!dataUrl) return { content: decodeBase64(text, where), name: undefined, contentType: undefined };

  const [mediaType = '', ...parameters] = (dataUrl[1] ?? '').split(';');
  const payload = dataUrl[2] ?? '';
  const isBase64 = parameters.at(-1)?.toLowerCase() === 'base64';
  const nameParameter = parameters.find((p) => p.toLowerCase().startsWith('name='));
  return {
    content: isBase64 ? decodeBase64(payload, where) : Buffer.from(decodePercent(payload, where), 'utf8'),
    name: nameParameter === undefined ? undefined : decodePercent(nameParameter.slice('name='.length), where),
    contentType: mediaType.trim() || undefined,
  };
}

/** Standard base64, padded or not, line breaks allowed; Buffer.from alone would skip bad characters. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string, where: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  const padded = compact.endsWith('=');
  if (!BASE64.test(compact) || (padded ? compact.length % 4 !== 0 : compact.length % 4 === 1)) {
    throw invalidParameters(`${where} is neither base64 nor a data URL (${describeValue(text)})`);
  }
  return Buffer.from(compact, 'base64');
}

function decodePercent(text: string, where: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw invalidParameters(`${where} has a malformed %-escape`);
  }
}

function optionalText(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  throw invalidParameters(`${where} must be a text, got ${kindOf(value)}`);
}
