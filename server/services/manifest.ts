import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Locale } from '../../shared/api/auth.ts';
import type { Deps } from '../deps.ts';
import { getPublicBranding } from './staff/admin-branding.ts';

/**
 * The app's colour: the icons' background (scripts/icons.js, client/public/icons) and the pages'
 * `<meta name="theme-color">` (client/index.html, client/staff/index.html) carry the same value, so
 * the title bar, the splash screen and the icon match. The icons are static files, so the landlord's
 * branded primary colour (which tints buttons at run time) cannot be the theme colour.
 */
export const appThemeColor = '#0a58a8';

/**
 * The web app manifest (W3C Web Application Manifest; issue 6 item 5), built per request from the
 * landlord's branding (name: issue 5 item 8) in the reader's language, so the
 * installed app on a Swedish tenant's home screen is the landlord's portal in Swedish, not a
 * built-in German one. `id` stays `/` in every language: one app, never a second install.
 */
export async function webAppManifest(deps: Pick<Deps, 'db' | 'now'>, locale: Locale) {
  const branding = await getPublicBranding(deps);
  const o = { locale };
  return {
    id: '/',
    name: m.manifest_app_name({ brand: branding.name }, o),
    // Home screens cut labels at about 12 characters (Chrome's installability guidance).
    short_name: branding.name.length <= 12 ? branding.name : 'Portier',
    description: m.manifest_description({}, o),
    lang: locale,
    dir: 'ltr',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    theme_color: appThemeColor,
    background_color: '#ffffff',
    categories: ['lifestyle', 'utilities'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
    shortcuts: [
      {
        name: m.manifest_shortcut_new_request({}, o),
        short_name: m.manifest_shortcut_new_request_short({}, o),
        url: '/requests/new',
      },
      { name: m.nav_invoices({}, o), url: '/invoices' },
      { name: m.nav_documents({}, o), url: '/documents' },
    ],
  };
}
