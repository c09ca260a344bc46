import { type Coerced, describeValue, isJsonObject, kindOf, type Problem } from '@connector-proxy/core';

/** A file to attach, decoded and ready for the message. */
export interface Attachment {
  filename: string;
  content: Buffer;
  /** Left out when neither the item nor its data URL says; nodemailer then guesses from the filename. */
  contentType: string | undefined;
}

/** The JSON Schema of `email_attachments`. */
export const ATTACHMENTS_SCHEMA = (() => {
  const item = {
    anyOf: [
      { type: 'string', description: 'a data URL (data:application/pdf;name=report.pdf;base64,...)' },
      {
        type: 'object',
        properties: {
          filename: { type: 'string' },
          content: { type: 'string', description: 'base64, or a data URL' },
          content_type: { type: 'string' },
        },
        required: ['content'],
      },
    ],
  };
  return { anyOf: [{ type: 'array', items: item }, item] };
})();

/**
 * Reads `email_attachments`: a list whose items are either a data URL, the value SpiffArena's
 * file fields produce (`data:application/pdf;name=report.pdf;base64,JVBERi0...`), or an object
 * `{ filename, content, content_type }` whose `content` is base64 or a data URL. A single item
 * may be given without the list. Every malformed item is a problem naming where (`[0].content`).
 */
export function toAttachments(value: unknown): Coerced<Attachment[]> {
  const problems: Problem[] = [];
  const items = Array.isArray(value) ? value : [value];
  const attachments = items.map((item, index) => toAttachment(item, [index], `attachment-${index + 1}`, problems));
  if (problems.length > 0) return { ok: false, problem: problems[0]?.message ?? '', problems };
  return { ok: true, value: attachments.filter((a): a is Attachment => a !== undefined) };
}

type Path = readonly (string | number)[];

function toAttachment(item: unknown, at: Path, fallbackName: string, problems: Problem[]): Attachment | undefined {
  if (typeof item === 'string') {
    const file = readContent(item, at, problems);
    return file && { filename: file.name ?? fallbackName, content: file.content, contentType: file.contentType };
  }
  if (!isJsonObject(item)) {
    problems.push({
      path: at,
      message: `must be a data URL or an object { filename, content, content_type }, got ${kindOf(item)}`,
    });
    return undefined;
  }
  const filename = optionalText(item.filename, [...at, 'filename'], problems);
  const contentType = optionalText(item.content_type, [...at, 'content_type'], problems);
  if (typeof item.content !== 'string') {
    problems.push({ path: [...at, 'content'], message: `must be base64 or a data URL, got ${kindOf(item.content)}` });
    return undefined;
  }
  const file = readContent(item.content, [...at, 'content'], problems);
  return (
    file && {
      filename: filename ?? file.name ?? fallbackName,
      content: file.content,
      contentType: contentType ?? file.contentType,
    }
  );
}

interface DecodedContent {
  content: Buffer;
  name: string | undefined;
  contentType: string | undefined;
}

const DATA_URL = /^data:([^,]*),(.*)$/s;

/** Decodes base64 text or a data URL (RFC 2397), keeping the media type and a `name=` parameter. */
function readContent(text: string, at: Path, problems: Problem[]): DecodedContent | undefined {
  const dataUrl = DATA_URL.exec(text.trim());
  if (!dataUrl) {
    const content = decodeBase64(text, at, problems);
    return content && { content, name: undefined, contentType: undefined };
  }
  const [mediaType = '', ...parameters] = (dataUrl[1] ?? '').split(';');
  const payload = dataUrl[2] ?? '';
  const isBase64 = parameters.at(-1)?.toLowerCase() === 'base64';
  const nameParameter = parameters.find((p) => p.toLowerCase().startsWith('name='));
  const decoded = isBase64 ? decodeBase64(payload, at, problems) : decodePercent(payload, at, problems);
  const name =
    nameParameter === undefined ? undefined : decodePercent(nameParameter.slice('name='.length), at, problems);
  if (decoded === undefined || (nameParameter !== undefined && name === undefined)) return undefined;
  return {
    content: typeof decoded === 'string' ? Buffer.from(decoded, 'utf8') : decoded,
    name,
    contentType: mediaType.trim() || undefined,
  };
}

/** Standard base64, padded or not, line breaks allowed; Buffer.from alone would skip bad characters. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeBase64(text: string, at: Path, problems: Problem[]): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  const padded = compact.endsWith('=');
  if (!BASE64.test(compact) || (padded ? compact.length % 4 !== 0 : compact.length % 4 === 1)) {
    problems.push({ path: at, message: `is neither base64 nor a data URL (${describeValue(text)})` });
    return undefined;
  }
  return Buffer.from(compact, 'base64');
}

function decodePercent(text: string, at: Path, problems: Problem[]): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    problems.push({ path: at, message: 'has a malformed %-escape' });
    return undefined;
  }
}

function optionalText(value: unknown, at: Path, problems: Problem[]): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  problems.push({ path: at, message: `must be a text, got ${kindOf(value)}` });
  return undefined;
}
