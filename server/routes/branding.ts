import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.ts';
import { SERVED_FILE_MAX_AGE_SECONDS } from '../files/limits.ts';
import { entityTag, fileSafetyHeaders, matchesIfNoneMatch } from '../files/serve.ts';
import { getPublicBranding, openBrandingLogo } from '../services/staff/admin-branding.ts';

/**
 * `GET /branding` and `GET /branding/logo` (issue 5 item 8): public, no session needed, because the
 * login page shows the landlord's name and logo before anyone signs in. Only public facts.
 * The logo is served like every user file: its stored image type, nosniff, a sandbox CSP.
 */
export const branding = new Hono<AppEnv>()
  .get('/', async (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(await getPublicBranding(c.get('deps')));
  })
  .get('/logo', async (c) => {
    const logo = await openBrandingLogo(c.get('deps'));
    const cache = {
      ETag: entityTag(logo.sha256),
      'Cache-Control': `public, max-age=${SERVED_FILE_MAX_AGE_SECONDS}`,
    };
    if (matchesIfNoneMatch(c.req.header('if-none-match'), logo.sha256))
      return new Response(null, { status: 304, headers: cache });
    const bytes = await logo.read();
    const extension = logo.mime.split('/')[1] ?? 'img';
    return new Response(bytes, {
      status: 200,
      headers: { ...cache, ...fileSafetyHeaders(logo.mime, bytes.byteLength, `logo.${extension}`) },
    });
  });
