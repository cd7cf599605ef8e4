import { existsSync, readFileSync } from 'node:fs';
import type { Context, Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import { everyPageApi, firstLoadOf, signedInApi } from '../../shared/first-load.ts';
import { sessionTokenOf } from '../auth/cookies.ts';
import type { AppEnv } from './context.ts';
import { projectPath } from './paths.ts';

const clientDir = projectPath('dist', 'client');
/** The build's chunk manifest (vite.config.ts moves it out of the served directory). */
const clientManifest = projectPath('dist', 'client-manifest.json');

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The files a manifest key loads by static imports: scripts and stylesheets, each once. */
function closure(manifest: Manifest, key: string): { js: string[]; css: string[] } {
  const seen = new Set<string>();
  const js: string[] = [];
  const css = new Set<string>();
  const queue = [key];
  while (queue.length > 0) {
    const next = queue.shift()!;
    const chunk = manifest[next];
    if (seen.has(next) || !chunk) continue;
    seen.add(next);
    if (chunk.file.endsWith('.js')) js.push(chunk.file);
    for (const sheet of chunk.css ?? []) css.add(sheet);
    queue.push(...(chunk.imports ?? []));
  }
  return { js, css: [...css] };
}

/**
 * The tenant app's HTML for one path (issue 16: LCP on a phone network): besides the entry, it names
 * the page's own code, its styles and the API answers it starts with as preloads, so the browser
 * fetches them with the HTML instead of after the entry script ran. The data preloads go out only
 * with a session cookie (a visitor without one is shown the login page). The file on disk stays as
 * built: the service worker precaches /index.html for every path, and the app adds the page's data
 * preloads itself when it starts from that copy (client/tenant/warm.ts).
 */
function tenantPageHtml(html: string, manifest: Manifest | null) {
  const entry = manifest?.['index.html'] ? closure(manifest, 'index.html') : { js: [], css: [] };
  const inEntry = new Set([...entry.js, ...entry.css]);
  return (path: string, signedIn: boolean): string => {
    const page = firstLoadOf(path);
    const links: string[] = [];
    const data = signedIn && page ? [...signedInApi, ...page.api] : [];
    for (const url of [...everyPageApi, ...data]) {
      // Mode "cors" with credentials "same-origin", as the app's fetch() asks: only then is it reused.
      links.push(
        `<link rel="preload" as="fetch" crossorigin="anonymous" href="${escapeAttribute(`/api${url}`)}">`,
      );
    }
    if (page && manifest?.[page.module]) {
      const code = closure(manifest, page.module);
      for (const file of code.js.filter((file) => !inEntry.has(file))) {
        links.push(`<link rel="modulepreload" crossorigin href="/${escapeAttribute(file)}">`);
      }
      for (const file of code.css.filter((file) => !inEntry.has(file))) {
        links.push(`<link rel="preload" as="style" crossorigin href="/${escapeAttribute(file)}">`);
      }
    }
    if (links.length === 0 || !html.includes('</head>')) return html;
    return html.replace('</head>', `  ${links.join('\n    ')}\n  </head>`);
  };
}

/**
 * Serves the built PWA: hashed assets with a long cache, and the two HTML entries as the
 * fallback for client-side routes (`/staff/*` → staff console, everything else → tenant app).
 * `/api` is never answered with HTML.
 */
export function serveClient(
  app: Hono<AppEnv>,
  root = clientDir,
  manifestFile = root === clientDir ? clientManifest : null,
): void {
  if (!existsSync(root)) return;
  const tenantHtml = readFileSync(`${root}/index.html`, 'utf8');
  const manifest =
    manifestFile && existsSync(manifestFile)
      ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest)
      : null;
  const tenantPage = tenantPageHtml(tenantHtml, manifest);
  const tenantHtmlFor = (c: Context<AppEnv>) => {
    c.header('Cache-Control', 'no-cache');
    c.header('Vary', 'Cookie');
    return c.html(tenantPage(c.req.path, sessionTokenOf(c.req.header('cookie')) !== undefined));
  };
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
  // "/" is the home page, with its preloads; /index.html itself is the plain shell the worker caches.
  app.get('/', tenantHtmlFor);
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
  // The contractor's job page (issue 20): its own entry, no tenant shell, no service worker; the
  // token in the path must not leave by referrer, and search engines stay out.
  const jobHtml = existsSync(`${root}/job/index.html`)
    ? readFileSync(`${root}/job/index.html`, 'utf8')
    : null;
  app.get('/job/*', (c) => {
    if (!jobHtml) return c.notFound();
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Robots-Tag', 'noindex, nofollow');
    return c.html(jobHtml);
  });
  app.get('/staff', (c) => c.redirect('/staff/'));
  app.get('/staff/*', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.html(staffHtml);
  });
  app.get('*', tenantHtmlFor);
}
