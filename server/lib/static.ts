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
export function serveClient(app: Hono<AppEnv>, root = clientDir): void {
  if (!existsSync(root)) return;
  const tenantHtml = readFileSync(`${root}/index.html`, 'utf8');
  const staffHtml = existsSync(`${root}/staff/index.html`)
    ? readFileSync(`${root}/staff/index.html`, 'utf8')
    : tenantHtml;

  // Source maps would hand out the whole client source (issue 13 finding 12). The build writes
  // them without a reference in the bundles ('hidden', vite.config.ts) for the operator's error
  // tracking; they are never served, and neither is the app page in their place.
  app.use('*', async (c, next) => {
    if (c.req.path.toLowerCase().endsWith('.map')) return c.notFound();
    await next();
  });
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // The build leaves brotli and gzip copies beside each file (scripts/precompress.ts); the client's
  // Accept-Encoding picks one, the service worker and index.html included (issue 16).
  app.use(
    '*',
    serveStatic({
      root,
      precompressed: true,
      rewriteRequestPath: (p) => (p.endsWith('/') ? `${p}index.html` : p),
    }),
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
