import { contentDisposition } from './names.ts';
import { SERVED_FILE_MAX_AGE_SECONDS } from './limits.ts';

/**
 * CSP for served user files: `sandbox` gives a document opened directly (an SVG or HTML that slipped
 * through, a PDF with scripts) a unique origin without scripts, so it can reach neither the session
 * nor the API.
 */
export const SERVED_FILE_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

export interface ServedFileInfo {
  sha256: string;
  mime: string;
  size: number;
  fileName: string;
}

/** The content hash is the entity tag: a file under an id never changes. */
export const entityTag = (sha256: string) => `"${sha256}"`;

/** Headers a 304 repeats (RFC 9110 §15.4.5). */
export function revalidationHeaders(file: Pick<ServedFileInfo, 'sha256'>): Record<string, string> {
  return {
    ETag: entityTag(file.sha256),
    'Cache-Control': `private, max-age=${SERVED_FILE_MAX_AGE_SECONDS}`,
  };
}

/**
 * `download`: sent as `attachment` whatever the type. Ticket attachments that are PDFs go out so
 * (issue 13 finding 6): a PDF viewer runs scripts the sandbox CSP does not stop, and attachments
 * stored before active content was removed on upload are still served.
 */
export function servedFileHeaders(
  file: ServedFileInfo,
  options: { download?: boolean } = {},
): Record<string, string> {
  return {
    ...revalidationHeaders(file),
    ...fileSafetyHeaders(file.mime, file.size, file.fileName, options),
  };
}

/** What every file answer carries, stored or rendered on request: type, disposition and the sandbox. */
export function fileSafetyHeaders(
  mime: string,
  size: number,
  fileName: string,
  options: { download?: boolean } = {},
): Record<string, string> {
  return {
    'Content-Type': mime,
    'Content-Length': String(size),
    'Content-Disposition': contentDisposition(mime, fileName, options),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': SERVED_FILE_CSP,
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** `If-None-Match` with the weak comparison of RFC 9110 §13.1.2: `*`, a list, `W/` prefixes. */
export function matchesIfNoneMatch(header: string | undefined, sha256: string): boolean {
  if (!header) return false;
  const tag = entityTag(sha256);
  return header
    .split(',')
    .map((candidate) => candidate.trim().replace(/^W\//, ''))
    .some((candidate) => candidate === '*' || candidate === tag);
}
