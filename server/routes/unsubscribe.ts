import { Hono, type Context } from 'hono';
import { requestMeta } from '../auth/client-ip.ts';
import type { AppEnv } from '../lib/context.ts';
import { DomainError } from '../lib/http-error.ts';
import { describeUnsubscribe, unsubscribe } from '../services/unsubscribe.ts';
import { unsubscribePage, unsubscribedPage, unknownLinkPage } from '../notify/unsubscribe-page.ts';
import type { UnsubscribeResponse } from '../../shared/api/profile.ts';
import { baseLocale, extractLocaleFromHeader } from '../../shared/i18n/paraglide/runtime.js';

/** A person's browser asks for a page; a mailbox provider's one-click POST gets JSON. */
const wantsPage = (c: Context<AppEnv>) => (c.req.header('accept') ?? '').includes('text/html');

const pageHeaders = {
  'Cache-Control': 'no-store',
  // The page has a form posting to itself and nothing else: no scripts, styles or frames.
  'Content-Security-Policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
  // The token is in the path: never hand it on to another site.
  'Referrer-Policy': 'no-referrer',
};

/**
 * `GET` / `POST /api/unsubscribe/:token` (RFC 8058 one-click unsubscribe). Mounted outside the
 * session and Origin checks (app.ts): the token alone authorizes, and the POST comes from a mailbox
 * provider's server without an Origin or a session. GET never changes anything, as link scanners
 * and previews follow every link in a mail; it shows a page whose button POSTs.
 */
export const unsubscribeRoutes = new Hono<AppEnv>()
  .get('/:token', async (c) => {
    const deps = c.get('deps');
    try {
      const target = await describeUnsubscribe(deps, c.req.param('token'), requestMeta(c));
      return c.html(unsubscribePage(target, deps.config.publicUrl), 200, pageHeaders);
    } catch (error) {
      if (!(error instanceof DomainError) || error.kind !== 'not_found') throw error;
      const locale = extractLocaleFromHeader(c.req.raw) ?? baseLocale;
      return c.html(unknownLinkPage(locale, deps.config.publicUrl), 404, pageHeaders);
    }
  })
  .post('/:token', async (c) => {
    const deps = c.get('deps');
    const target = await unsubscribe(deps, c.req.param('token'), requestMeta(c));
    if (wantsPage(c)) return c.html(unsubscribedPage(target, deps.config.publicUrl), 200, pageHeaders);
    return c.json({
      unsubscribed: { category: target.category, channel: 'email' },
    } satisfies UnsubscribeResponse);
  });
