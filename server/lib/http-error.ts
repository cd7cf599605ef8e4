import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An expected failure with a status and a stable snake_case code (API.md error shape). */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Record<string, string>,
    /** Further members of the error body, e.g. an import's located `records` (API.md). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, fields?: Record<string, string>) =>
  new HttpError(400, code, message, fields);
export const unauthorized = (message = 'Sign in first.') => new HttpError(401, 'unauthenticated', message);
export const forbidden = (code = 'forbidden', message = 'You may not do this.') =>
  new HttpError(403, code, message);
/** "Not found or not yours": the same answer for both, so ids of others reveal nothing. */
export const notFound = (message = 'Not found.') => new HttpError(404, 'not_found', message);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new HttpError(409, code, message, undefined, undefined, details);
export const tooMany = (retryAfterSeconds: number) =>
  new HttpError(
    429,
    'too_many_requests',
    `Too many attempts. Try again in ${retryAfterSeconds} s.`,
    undefined,
    {
      'Retry-After': String(retryAfterSeconds),
    },
  );
/** 400 `validation_failed` with field codes, the same shape zod failures get (server/lib/validate.ts). */
export const validationFailed = (fields: Record<string, string>) =>
  new HttpError(400, 'validation_failed', 'The request is not valid.', fields);
