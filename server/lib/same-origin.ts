import type { Config } from '../config.ts';
import { isAllowedOrigin } from '../auth/origin.ts';

/** The request headers the decision reads; lower-case names, as Hono's `c.req.header()` takes them. */
export type HeaderOf = (name: 'sec-fetch-site' | 'origin' | 'referer') => string | undefined;

/**
 * Whether a request was made by the portal itself or directly by the person, as opposed to being
 * caused by another site (a link, a redirect, `window.open`, an auto-submitted form). Used where a
 * GET has an effect worth protecting, such as the proof of delivery of a document (issue 13 finding 9):
 * SameSite=Lax cookies go along with a top-level navigation from anywhere.
 *
 * Fetch Metadata (W3C "Fetch Metadata Request Headers") is set by the browser and cannot be forged
 * by a page: `same-origin` is the app; `none` is a navigation the person started themselves (typed
 * address, bookmark, the installed app's own window, a link opened from a program outside the
 * browser), which no other site can trigger. `same-site` (a sibling subdomain) and `cross-site` are
 * not ours. Only browsers without Fetch Metadata fall back to Origin, then Referer; when both are
 * missing nothing can be told apart from a page that suppressed its Referer, so the answer is no.
 */
export function isOwnOrDirectRequest(config: Pick<Config, 'allowedOrigins'>, header: HeaderOf): boolean {
  const site = header('sec-fetch-site')?.trim().toLowerCase();
  if (site !== undefined && site !== '') return site === 'same-origin' || site === 'none';
  const origin = header('origin');
  if (origin) return isAllowedOrigin(config, origin);
  const referer = header('referer');
  if (!referer) return false;
  let refererOrigin: string;
  try {
    refererOrigin = new URL(referer).origin;
  } catch {
    return false;
  }
  return isAllowedOrigin(config, refererOrigin);
}
