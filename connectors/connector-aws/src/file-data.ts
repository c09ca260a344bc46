import type { Coerced } from '@connector-proxy/core';
import { isBase64 } from './checks.js';

/** A file as SpiffArena's file fields hold it, decoded. */
export interface FileData {
  /** The media type with its parameters (`text/plain;charset=utf-8`), for the object's Content-Type. */
  contentType: string;
  /** The file name from `name=`, percent-decoded, when given. */
  name: string | undefined;
  bytes: Buffer;
}

const SHAPE = 'must be a data URL such as data:application/pdf;name=report.pdf;base64,JVBERi0…';
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;
// A media type parameter that can go into a Content-Type header as it is (printable ASCII).
const PARAMETER = /^[\w.+-]+=[!#-~]*$/;

/**
 * Reads SpiffArena's file value, `data:<mime>;name=<file name>;base64,<data>` (the name and
 * other parameters optional), as `file_data`'s declaration refines it: a value of another shape,
 * or data that is not base64, is refused with a problem that never quotes the value.
 */
export function toFileData(value: string): Coerced<FileData> {
  const text = value.trim();
  const comma = text.indexOf(',');
  if (!text.startsWith('data:') || comma < 0) return refused(SHAPE);
  const header = text.slice('data:'.length, comma).split(';');
  if (header.pop()?.trim().toLowerCase() !== 'base64') return refused(`${SHAPE} (the ;base64 marker is missing)`);
  const mime = (header.shift() ?? '').trim();
  if (mime && !MEDIA_TYPE.test(mime)) return refused(`${SHAPE} (the media type is malformed)`);
  let name: string | undefined;
  const parameters: string[] = [];
  for (const part of header) {
    const [key = '', ...rest] = part.split('=');
    if (key.trim().toLowerCase() === 'name') name = toDecoded(rest.join('='));
    else if (PARAMETER.test(part.trim())) parameters.push(part.trim());
    else if (part.trim()) return refused(`${SHAPE} (a media type parameter is malformed)`);
  }
  const data = text.slice(comma + 1).replace(/\s+/g, '');
  if (!isBase64(data)) return refused('holds data that is not base64');
  const contentType = [mime || 'application/octet-stream', ...parameters].join(';');
  return { ok: true, value: { contentType, name, bytes: Buffer.from(data, 'base64') } };
}

function refused(problem: string): Coerced<FileData> {
  return { ok: false, problem };
}

function toDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
