import { describe, expect, it } from 'vitest';
import {
  badRequest,
  conflict,
  DomainError,
  forbidden,
  notFound,
  tooLarge,
  tooMany,
  unauthorized,
  unprocessable,
  unsupported,
  validationFailed,
} from '../../server/domain/errors.ts';
import { HttpError, httpErrorResponse } from '../../server/lib/http-error.ts';
import { errorAnswer } from '../../server/realtime/handlers.ts';

describe('domain errors map once to HTTP and once to socket acks', () => {
  it('gives every kind its status and keeps the API.md body', () => {
    const cases: [DomainError, number][] = [
      [badRequest('bad_thing', 'Bad.'), 400],
      [validationFailed({ title: 'validation_required' }), 400],
      [unauthorized(), 401],
      [forbidden('read_only', 'Read only.'), 403],
      [notFound(), 404],
      [conflict('not_resolved', 'Not resolved.'), 409],
      [tooLarge('payload_too_large', 'Too large.'), 413],
      [unsupported('unsupported_media_type', 'Publish a PDF.'), 415],
      [unprocessable('invalid_pdf', 'Damaged.'), 422],
      [tooMany(30), 429],
      [new DomainError('unavailable', 'storage_unavailable', 'Later.'), 503],
    ];
    for (const [error, status] of cases) {
      const response = httpErrorResponse(error);
      expect(response.status, error.code).toBe(status);
      expect(response.body.error).toMatchObject({ code: error.code, message: error.message });
    }
  });

  it('carries fields, details and Retry-After as before', () => {
    expect(httpErrorResponse(validationFailed({ title: 'validation_required' })).body).toEqual({
      error: {
        code: 'validation_failed',
        message: 'The request is not valid.',
        fields: { title: 'validation_required' },
      },
    });
    expect(httpErrorResponse(conflict('import_running', 'Busy.', { runId: 'r1' })).body).toEqual({
      error: { code: 'import_running', message: 'Busy.', runId: 'r1' },
    });
    const limited = httpErrorResponse(tooMany(30));
    expect(limited.headers).toEqual({ 'Retry-After': '30' });
    expect(limited.body).toEqual({
      error: { code: 'too_many_requests', message: 'Too many attempts. Try again in 30 s.' },
    });
    // A transport error with its status written out keeps status and headers.
    const legacy = httpErrorResponse(
      new HttpError(413, 'payload_too_large', 'Too large.', undefined, { A: 'b' }),
    );
    expect(legacy).toMatchObject({ status: 413, headers: { A: 'b' } });
    expect(new HttpError(413, 'payload_too_large', 'Too large.').kind).toBe('too_large');
  });

  it('answers a socket with code and message only; anything else as internal_error', () => {
    expect(errorAnswer(validationFailed({ title: 'validation_required' }))).toEqual({
      error: { code: 'validation_failed', message: 'The request is not valid.' },
    });
    expect(errorAnswer(notFound())).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
    const logged = console.error;
    console.error = () => {};
    try {
      expect(errorAnswer(new Error('secret detail'))).toEqual({
        error: { code: 'internal_error', message: 'Something went wrong on our side.' },
      });
    } finally {
      console.error = logged;
    }
  });
});
