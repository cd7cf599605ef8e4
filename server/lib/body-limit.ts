import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { HttpError } from './http-error.ts';

/** JSON requests are small: the largest is a ticket message. */
export const jsonBodyLimitBytes = 64 * 1024;
/** Multipart (uploads) gets room for a photo; the upload route may set a tighter limit of its own. */
export const multipartBodyLimitBytes = 25 * 1024 * 1024;

const payloadTooLarge = () => {
  throw new HttpError(413, 'payload_too_large', 'The request body is too large.');
};
const small = bodyLimit({ maxSize: jsonBodyLimitBytes, onError: payloadTooLarge });
const large = bodyLimit({ maxSize: multipartBodyLimitBytes, onError: payloadTooLarge });
/** An ERP load uploaded in the console (CSV files or a workbook); services/import checks each file. */
export const importUploadLimitBytes = 100 * 1024 * 1024;
const importUpload = bodyLimit({ maxSize: importUploadLimitBytes, onError: payloadTooLarge });
const importUploadPath = '/api/staff/admin/imports';

/** 413 `payload_too_large` before anything reads a body that is too big (by Content-Length or while streaming). */
export const apiBodyLimit = createMiddleware(async (c, next) => {
  // GET and HEAD carry no body. Skipping them also keeps @hono/node-server from materialising a full
  // Request (AbortSignal, undici headers) just to look at `raw.body` — the most common request's hot path.
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const multipart = /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');
  if (multipart && c.req.path === importUploadPath) return importUpload(c, next);
  return (multipart ? large : small)(c, next);
});
