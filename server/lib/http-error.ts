import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type DomainErrorKind } from '../domain/errors.ts';

export {
  badRequest,
  conflict,
  DomainError,
  forbidden,
  notFound,
  tooMany,
  unauthorized,
  validationFailed,
} from '../domain/errors.ts';

const statusOfKind: Record<DomainErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  too_many: 429,
  unavailable: 503,
};

const kindOfStatus = (status: ContentfulStatusCode): DomainErrorKind =>
  (Object.entries(statusOfKind).find(([, value]) => value === status)?.[0] as DomainErrorKind) ??
  (status >= 500 ? 'unavailable' : 'invalid');

/**
 * A domain error raised by the transport itself (a multipart body, a JSON body, an origin) with the
 * status written out. Services raise plain DomainErrors (server/domain/errors.ts).
 */
export class HttpError extends DomainError {
  constructor(
    readonly status: ContentfulStatusCode,
    code: string,
    message: string,
    fields?: Record<string, string>,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Record<string, string>,
    /** Further members of the error body, e.g. an import's located `records` (API.md). */
    details?: Record<string, unknown>,
  ) {
    const retryAfter = headers?.['Retry-After'];
    super(kindOfStatus(status), code, message, {
      ...(fields && { fields }),
      ...(details && { details }),
      ...(retryAfter !== undefined && { retryAfterSeconds: Number(retryAfter) }),
    });
  }
}

/** The one mapping of a domain error to HTTP (used by `app.onError`): status, headers and body. */
export function httpErrorResponse(error: DomainError): {
  status: ContentfulStatusCode;
  headers: Record<string, string>;
  body: { error: Record<string, unknown> };
} {
  const status = error instanceof HttpError ? error.status : statusOfKind[error.kind];
  const headers: Record<string, string> = {
    ...(error.retryAfterSeconds !== undefined && { 'Retry-After': String(error.retryAfterSeconds) }),
    ...(error instanceof HttpError && error.headers),
  };
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.fields && { fields: error.fields }),
      ...error.details,
    },
  };
  return { status, headers, body };
}
