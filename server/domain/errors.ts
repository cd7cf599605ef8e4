/**
 * Expected failures of the domain (STYLE.md 17, DESIGN.md "Services raise domain errors"): a kind
 * that says what went wrong in general and a stable snake_case `code` (API.md error shape). No
 * HTTP or Socket.IO here: `app.onError` maps a kind to a status once (server/lib/http-error.ts),
 * the socket layer maps it to an ack once (server/realtime/handlers.ts).
 */
export type DomainErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported'
  /** Well-formed but unusable content (a damaged PDF or image). */
  | 'unprocessable'
  | 'too_many'
  /** The machine cannot serve now (disk full, read-only file): retry later. */
  | 'unavailable';

export interface DomainErrorOptions {
  /** Field codes, the same shape zod failures get (server/lib/validate.ts). */
  fields?: Record<string, string>;
  /** Further members of the error body, e.g. an import's located `records` (API.md). */
  details?: Record<string, unknown>;
  /** When to try again (too_many, unavailable). */
  retryAfterSeconds?: number;
}

export class DomainError extends Error {
  readonly fields?: Record<string, string>;
  readonly details?: Record<string, unknown>;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = 'DomainError';
    if (options.fields) this.fields = options.fields;
    if (options.details) this.details = options.details;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const badRequest = (code: string, message: string, fields?: Record<string, string>) =>
  new DomainError('invalid', code, message, { ...(fields && { fields }) });
export const unauthorized = (message = 'Sign in first.') =>
  new DomainError('unauthenticated', 'unauthenticated', message);
export const forbidden = (code = 'forbidden', message = 'You may not do this.') =>
  new DomainError('forbidden', code, message);
/** "Not found or not yours": the same answer for both, so ids of others reveal nothing. */
export const notFound = (message = 'Not found.') => new DomainError('not_found', 'not_found', message);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new DomainError('conflict', code, message, { ...(details && { details }) });
export const tooMany = (retryAfterSeconds: number) =>
  new DomainError(
    'too_many',
    'too_many_requests',
    `Too many attempts. Try again in ${retryAfterSeconds} s.`,
    {
      retryAfterSeconds,
    },
  );
/** 400 `validation_failed` with field codes, the same shape zod failures get (server/lib/validate.ts). */
export const validationFailed = (fields: Record<string, string>) =>
  new DomainError('invalid', 'validation_failed', 'The request is not valid.', { fields });
export const unsupported = (code: string, message: string) => new DomainError('unsupported', code, message);
export const tooLarge = (code: string, message: string) => new DomainError('too_large', code, message);
export const unprocessable = (code: string, message: string) =>
  new DomainError('unprocessable', code, message);
