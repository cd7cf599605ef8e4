import { fileTypeFromBuffer } from 'file-type';
import { HttpError } from '../lib/http-error.ts';
import { PDF_TRAILER_WINDOW_BYTES } from './limits.ts';

export type ImageMime = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'image/heif';

/** What an upload is, judged from its bytes alone: the declared mime and file name are never trusted. */
export type InspectedUpload = { kind: 'image'; mime: ImageMime } | { kind: 'pdf'; mime: 'application/pdf' };

/** The allowlist, keyed by what `file-type` detects. HEIF sequences (bursts) are read as their first image. */
const allowedImageTypes: Readonly<Record<string, ImageMime>> = {
  'image/jpeg': 'image/jpeg',
  'image/png': 'image/png',
  'image/webp': 'image/webp',
  'image/heic': 'image/heic',
  'image/heic-sequence': 'image/heic',
  'image/heif': 'image/heif',
  'image/heif-sequence': 'image/heif',
};

export const unsupportedMediaType = (message = 'Upload a photo (JPEG, PNG, WebP, HEIC) or a PDF.') =>
  new HttpError(415, 'unsupported_media_type', message);

/**
 * Magic-byte check against the allowlist. Everything else, such as a script renamed `.jpg`, an SVG,
 * HTML, a ZIP (and so any zip bomb) or an empty file, is a 415.
 */
export async function inspectUpload(bytes: Uint8Array): Promise<InspectedUpload> {
  if (bytes.byteLength === 0) throw unsupportedMediaType('The file is empty.');
  let detected: Awaited<ReturnType<typeof fileTypeFromBuffer>>;
  try {
    detected = await fileTypeFromBuffer(bytes);
  } catch {
    // file-type gives up on malformed containers past its parser limits: not a type we take.
    detected = undefined;
  }
  if (detected?.mime === 'application/pdf') {
    assertCompletePdf(bytes);
    return { kind: 'pdf', mime: 'application/pdf' };
  }
  const image = detected ? allowedImageTypes[detected.mime] : undefined;
  if (!image) throw unsupportedMediaType();
  return { kind: 'image', mime: image };
}

const pdfHeader = new TextEncoder().encode('%PDF-');
const pdfEnd = new TextEncoder().encode('%%EOF');

/**
 * PDFs are stored as sent and never rendered on the server, so the check is structural only:
 * the `%PDF-` header at byte 0 and an `%%EOF` marker within the last KB (a cut-off upload fails).
 */
export function assertCompletePdf(bytes: Uint8Array): void {
  const startsWithHeader = pdfHeader.every((byte, index) => bytes[index] === byte);
  const tail = bytes.subarray(Math.max(0, bytes.byteLength - PDF_TRAILER_WINDOW_BYTES));
  if (!startsWithHeader || indexOfBytes(tail, pdfEnd) < 0) {
    throw new HttpError(422, 'invalid_pdf', 'The PDF is damaged or incomplete.');
  }
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle);
}
