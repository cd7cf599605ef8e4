import { describe, expect, it } from 'vitest';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { appThemeColor } from '../../server/services/manifest.ts';

interface Manifest {
  id: string;
  name: string;
  short_name: string;
  lang: string;
  theme_color: string;
  start_url: string;
  display: string;
  icons: { sizes: string; purpose: string }[];
  shortcuts: { name: string; url: string }[];
}

/** The tenant app's manifest: the landlord's brand, in the reader's language (issue 6 item 5). */
describe('GET /manifest.webmanifest', async () => {
  const { app, session } = await staffWorld(['admin']);
  const fetchManifest = async (path = '/manifest.webmanifest', headers: Record<string, string> = {}) => {
    const res = await app.request(path, { headers });
    return { res, body: res.status === 200 ? ((await res.json()) as Manifest) : null };
  };

  it('is installable as it stands: id, standalone, start URL, 192 and 512 icons and a maskable one', async () => {
    const { res, body } = await fetchManifest();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(body).toMatchObject({ id: '/', start_url: '/', display: 'standalone' });
    expect(body!.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(body!.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    expect(body!.shortcuts.map((s) => s.url)).toEqual(['/requests/new', '/invoices', '/documents']);
  });

  it('speaks the language asked for by ?lang=, else by Accept-Language, else German', async () => {
    const sv = (await fetchManifest('/manifest.webmanifest?lang=sv')).body!;
    expect(sv.lang).toBe('sv');
    expect(sv.shortcuts[1]!.name).toBe('Avier och fakturor');
    const en = (
      await fetchManifest('/manifest.webmanifest', { 'accept-language': 'fr-CH, en;q=0.8, de;q=0.5' })
    ).body!;
    expect(en.lang).toBe('en');
    expect(en.shortcuts[0]!.name).toBe('New request');
    const de = (await fetchManifest('/manifest.webmanifest', { 'accept-language': 'fr, it' })).body!;
    expect(de.lang).toBe('de');
    expect(de.shortcuts[1]!.name).toBe('Rechnungen');
    const { res } = await fetchManifest('/manifest.webmanifest', { 'accept-language': 'sv' });
    expect(res.headers.get('vary')).toMatch(/accept-language/i);
  });

  it('refuses an unknown ?lang= with 400, not a manifest in some other language', async () => {
    const { res } = await fetchManifest('/manifest.webmanifest?lang=xx');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });

  it("carries the landlord's name as soon as the admin changes it; the theme colour stays the icons'", async () => {
    const changed = await call(app, '/api/staff/admin/branding', {
      method: 'PUT',
      cookie: session.admin,
      json: {
        name: 'Wohnbau Nord',
        primaryColor: '#1d4d2b',
        contactEmail: 'service@wohnbau-nord.example',
        contactPhone: '+49 40 123456',
      },
    });
    expect(changed.status).toBe(200);
    const body = (await fetchManifest('/manifest.webmanifest?lang=de')).body!;
    expect(body.name).toBe('Wohnbau Nord – Mieterportal');
    expect(body.short_name).toBe('Wohnbau Nord');
    // The icons are static files in the app's colour: a branded theme colour would not match them.
    expect(body.theme_color).toBe(appThemeColor);
  });
});

describe('the manifest language from Accept-Language', async () => {
  const { app } = await staffWorld([]);
  const langOf = async (header?: string) =>
    (
      (await (
        await app.request('/manifest.webmanifest', { headers: header ? { 'accept-language': header } : {} })
      ).json()) as Manifest
    ).lang;

  it('ranks by q-value, then by order, ignores region subtags, and falls back to German', async () => {
    expect(await langOf('en;q=0.5, sv-FI;q=0.9')).toBe('sv');
    expect(await langOf('sv;q=0, en')).toBe('en');
    expect(await langOf('')).toBe('de');
    expect(await langOf('*')).toBe('de');
    expect(await langOf(undefined)).toBe('de');
  });
});
