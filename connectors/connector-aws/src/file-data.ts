import { invalid, isBase64 } from './checks.js';

/** A file as SpiffArena's file fields hold it, decoded. */
export interface FileData {
  /** The media type with its parameters (`text/plain;charset=utf-8`), for the object's Content-Type. */
  contentType: string;
  /** The file name from `name=`, percent-decoded, when given. */
  name: string | undefined;
  bytes: Buffer;
}

const SHAPE = 'file_data must be a data URL such as data:application/pdf;name=report.pdf;base64,JVBERi0…';
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;
// A media type parameter that can go into a Content-Type header as it is (printable ASCII).
const PARAMETER = /^[\w.+-]+=[!#-~]*$/;

/**
 * Reads SpiffArena's file value, `data:<mime>;name=<file name>;base64,<data>` (the name and
 * other parameters optional). A value of another shape, or data that is not base64, is
 * `InvalidParameters`; the message never quotes the value.
 */
export function readFileData(value: string): FileData {
  const text = value.trim();
  const comma = text.indexOf(',');
  if (!text.startsWith('data:') || comma < 0) throw invalid(SHAPE);
  const header = text.slice('data:'.length, comma).split(';');
  if (header.pop()?.trim().toLowerCase() !== 'base64') throw invalid(`${SHAPE} (the ;base64 marker is missing)`);
  const mime = (header.shift() ?? '').trim();
  if (mime && !MEDIA_TYPE.test(mime)) throw invalid(`${SHAPE} (the media type is malformed)`);
  let name: string | undefined;
  const parameters: string[] = [];
  for (const part of header) {
    const [key = '', ...rest] = part.split('=');
    if (key.trim().toLowerCase() === 'name') name = toDecoded(rest.join('='));
    else if (PARAMETER.test(part.trim())) parameters.push(part.trim());
    else if (part.trim()) throw invalid(`${SHAPE} (a media type parameter is malformed)`);
  }
  const data = text.slice(comma + 1).replace(/\s+/g, '');
  if (!isBase64(data)) throw invalid('file_data holds data that is not base64');
  const contentType = [mime || 'application/octet-stream', ...parameters].join(';');
  return { contentType, name, bytes: Buffer.from(data, 'base64') };
}

function toDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
