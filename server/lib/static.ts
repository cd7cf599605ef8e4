import { existsSync, readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from './context.ts';
import { projectPath } from './paths.ts';

const clientDir = projectPath('dist', 'client');

/**
 * Serves the built PWA: hashed assets with a long cache, and the two HTML entries as the
 * fallback for client-side routes (`/staff/*` → staff console, everything else → tenant app).
 * `/api` is never answered with HTML.
 */
export function serveClient(app: Hono<AppEnv>): void {
  if (!existsSync(clientDir)) return;
  const tenantHtml = readFileSync(`${clientDir}/index.html`, 'utf8');
  const staffHtml = existsSync(`${clientDir}/staff/index.html`)
    ? readFileSync(`${clientDir}/staff/index.html`, 'utf8')
    : tenantHtml;

  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  app.use(
    '*',
    serveStatic({ root: clientDir, rewriteRequestPath: (p) => (p.endsWith('/') ? `${p}index.html` : p) }),
  );
  app.get('/staff', (c) => c.redirect('/staff/'));
  app.get('/staff/*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(staffHtml);
  });
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(tenantHtml);
  });
}
