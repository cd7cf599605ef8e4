import { Hono } from 'hono';
import { z } from 'zod';
import { locales } from '../../shared/api/auth.ts';
import type { AppEnv } from '../lib/context.ts';
import { parseWith } from '../lib/validate.ts';
import { webAppManifest } from '../services/manifest.ts';
import { baseLocale, extractLocaleFromHeader } from '../../shared/i18n/paraglide/runtime.js';

const manifestQuery = z.object({ lang: z.enum(locales).optional() });

/**
 * `GET /manifest.webmanifest` (public: the browser fetches it without credentials). The tenant app
 * links it with `?lang=` of the UI language (client/lib/i18n.svelte.ts); without it the browser's
 * Accept-Language decides, then German. Revalidated on every fetch, so a new name or colour
 * reaches installed apps at the browser's next manifest check.
 */
export const manifest = new Hono<AppEnv>().get('/manifest.webmanifest', async (c) => {
  const { lang } = parseWith(manifestQuery, c.req.query());
  // Paraglide's own Accept-Language negotiation (q-values, region subtags), then the base locale.
  const locale = lang ?? extractLocaleFromHeader(c.req.raw) ?? baseLocale;
  c.header('Cache-Control', 'no-cache');
  c.header('Vary', 'Accept-Language');
  return c.body(JSON.stringify(await webAppManifest(c.get('deps'), locale)), 200, {
    'Content-Type': 'application/manifest+json; charset=utf-8',
  });
});
