import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from './deps.ts';
import { HttpError } from './lib/http-error.ts';
import type { AppEnv } from './lib/context.ts';
import { serveClient } from './lib/static.ts';
import { health } from './routes/health.ts';

/** Builds the HTTP app. Tests call `createApp(deps).request(...)`; main.ts serves it. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  const api = new Hono<AppEnv>();
  api.route('/health', health);
  api.all('*', (c) => c.json({ error: { code: 'not_found', message: 'No such route.' } }, 404));
  app.route('/api', api);

  serveClient(app);

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      const body = { error: { code: error.code, message: error.message, ...(error.fields && { fields: error.fields }) } };
      return c.json(body, error.status);
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
