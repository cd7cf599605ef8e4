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

/** 413 `payload_too_large` before anything reads a body that is too big (by Content-Length or while streaming). */
export const apiBodyLimit = createMiddleware(async (c, next) => {
  // GET and HEAD carry no body. Skipping them also keeps @hono/node-server from materialising a full
  // Request (AbortSignal, undici headers) just to look at `raw.body` — the most common request's hot path.
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const multipart = /^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '');
  return (multipart ? large : small)(c, next);
});
