import { pdfQuery } from '../../shared/api/contracts.ts';
import type { Locale } from '../../shared/api/auth.ts';
import { fileSafetyHeaders } from '../files/serve.ts';
import type { SessionUser } from './context.ts';
import { parseWith } from './validate.ts';

/** A PDF rendered on request (invoice, certificate) or read from storage (signed contract). */
export interface PdfDownload {
  bytes: Uint8Array;
  fileName: string;
}

/** `?lang=de|en|sv` on a download, else the reader's own language (DESIGN.md: language per user). */
export function pdfLocale(query: Record<string, string>, user: SessionUser): Locale {
  return parseWith(pdfQuery, query).lang ?? user.language;
}

/** The answer for a PDF download: the served-file safety headers, private and revalidated every time. */
export function pdfResponse(pdf: PdfDownload): Response {
  // Node buffers from pdfkit and fs are ArrayBuffer-backed; TS types them as ArrayBufferLike.
  return new Response(pdf.bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      ...fileSafetyHeaders('application/pdf', pdf.bytes.byteLength, pdf.fileName),
      'Cache-Control': 'private, no-cache',
    },
  });
}
