import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import { HttpError } from './http-error.ts';

/** Turns zod issues into `{ path: code }` the client can map to i18n messages. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    fields[key] ??= issue.message.match(/^[a-z_]+$/) ? issue.message : issue.code;
  }
  return fields;
}

/**
 * Where the first string holding a NUL character is, as a field key, or null. No field of Portier
 * has a use for one, and PostgreSQL stores none in text (SQLSTATE 22021, in jsonb 22P05) where
 * SQLite would: refused here, the same input gets the same 400 on both stores.
 */
function nulField(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') return value.includes('\0') ? path || '_' : null;
  if (typeof value !== 'object' || value === null || depth > 32) return null;
  for (const [key, each] of Object.entries(value)) {
    const found = nulField(each, path ? `${path}.${key}` : key, depth + 1);
    if (found) return found;
  }
  return null;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpError(400, 'validation_failed', 'The request is not valid.', fieldErrors(result.error));
  }
  const nul = nulField(result.data, '', 0);
  if (nul)
    throw new HttpError(400, 'validation_failed', 'The request is not valid.', {
      [nul]: 'invalid_character',
    });
  return result.data;
}

/**
 * Reads a JSON body and validates it. Malformed JSON, a wrong content type, wrong types and
 * unknown fields (strict schemas) are all a 400 with a code, never a 500.
 */
export function jsonBody<S extends z.ZodType>(schema: S) {
  return createMiddleware<{ Variables: { body: z.infer<S> } }>(async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\b/i.test(type)) {
      throw new HttpError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json).');
    }
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
    }
    c.set('body', parseWith(schema, raw));
    await next();
  });
}
