import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { ImportResult } from '../../shared/api/import.ts';
import type { AppEnv } from '../lib/context.ts';
import { HttpError } from '../lib/http-error.ts';
import { authenticateApiKey, type ApiKeyPrincipal } from '../services/integration/api-keys.ts';
import { importInvalid, importJobsOf } from '../services/import/index.ts';

type IntegrationEnv = AppEnv & { Variables: { apiKey: ApiKeyPrincipal } };

/** The largest JSON load one request may carry; bigger loads come as files (`npm run import`). */
export const importBodyLimitBytes = 50 * 1024 * 1024;

/**
 * Machines only (API.md "Integration"): an API key in `Authorization`, never a session cookie, so
 * no browser can be made to call these routes (no CSRF) and a stolen session reaches none of them.
 * Mounted before the session middleware of the rest of /api (server/app.ts).
 */
const apiKeyFor = (scope: 'import' | 'webhooks' | 'read') =>
  createMiddleware<IntegrationEnv>(async (c, next) => {
    c.set('apiKey', await authenticateApiKey(c.get('deps'), c.req.header('authorization'), scope));
    await next();
  });

const tooLarge = () => {
  throw new HttpError(
    413,
    'payload_too_large',
    `A load sent over HTTP is at most ${importBodyLimitBytes / 1024 / 1024} MB; send larger ones as files.`,
  );
};

export const integration = new Hono<IntegrationEnv>()
  .post(
    '/import',
    apiKeyFor('import'),
    bodyLimit({ maxSize: importBodyLimitBytes, onError: tooLarge }),
    async (c) => {
      if (!/^application\/json\b/i.test(c.req.header('content-type') ?? ''))
        throw new HttpError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json).');
      // Parsed, checked and applied in the import's worker thread (services/import/jobs.ts).
      const job = importJobsOf(c.get('deps')).start({
        kind: 'json',
        text: await c.req.text(),
        actor: { source: 'api', apiKeyId: c.get('apiKey').id },
      });
      const outcome = await job.done;
      if ('invalidBody' in outcome) {
        const { status, code, message, fields } = outcome.invalidBody;
        throw new HttpError(status, code, message, fields);
      }
      if (!outcome.ok) throw importInvalid(outcome.problems, outcome.problemCount);
      return c.json(outcome.result satisfies ImportResult, 200);
    },
  )
  .all('*', (c) => c.json({ error: { code: 'not_found', message: 'No such route.' } }, 404));
