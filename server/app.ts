import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from './deps.ts';
import { HttpError } from './lib/http-error.ts';
import type { AppEnv } from './lib/context.ts';
import { serveClient } from './lib/static.ts';
import { securityHeaders } from './lib/security-headers.ts';
import { apiBodyLimit } from './lib/body-limit.ts';
import { originCheck } from './auth/origin.ts';
import { sessionMiddleware } from './auth/middleware.ts';
import { health } from './routes/health.ts';
import { auth } from './routes/auth.ts';
import { me } from './routes/me.ts';
import { uploads } from './routes/uploads.ts';

/** Builds the HTTP app. Tests call `createApp(deps).request(...)`; main.ts serves it. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.use(securityHeaders(deps.config));
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  const api = new Hono<AppEnv>();
  // Order matters: a foreign Origin is refused before its body is read, and the session (a cookie
  // lookup) is known before the body limit lets up to 25 MB of multipart through.
  api.use(originCheck, sessionMiddleware, apiBodyLimit);
  api.route('/health', health);
  api.route('/auth', auth);
  api.route('/me', me);
  api.route('/', uploads); // POST /uploads, GET /attachments/:id[/thumbnail]
  api.all('*', (c) => c.json({ error: { code: 'not_found', message: 'No such route.' } }, 404));
  app.route('/api', api);

  serveClient(app);

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      const body = {
        error: { code: error.code, message: error.message, ...(error.fields && { fields: error.fields }) },
      };
      return c.json(body, error.status, error.headers);
    }
    if (error instanceof HTTPException) {
      return c.json({ error: { code: 'http_error', message: error.message } }, error.status);
    }
    console.error('unhandled error', c.req.method, c.req.path, error);
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
