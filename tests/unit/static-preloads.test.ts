import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../server/lib/context.ts';
import { serveClient } from '../../server/lib/static.ts';

/**
 * Issue 16 (LCP on a phone): the tenant app's HTML names the page's code, styles and first API
 * answers as preloads, so they start with the HTML. The file the service worker precaches for every
 * path (/index.html) stays as built: a per-path preload there would be wrong on every other path.
 */
describe('the tenant HTML carries the preloads of the page asked for', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portier-preloads-'));
  const shell =
    '<!doctype html><html><head><title>tenant</title>' +
    '<script type="module" crossorigin src="/assets/tenant-1.js"></script></head><body></body></html>';
  mkdirSync(join(dir, 'client', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'client', 'index.html'), shell);
  writeFileSync(join(dir, 'client', 'assets', 'tenant-1.js'), 'export {}');
  const manifest = join(dir, 'client-manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      'index.html': { file: 'assets/tenant-1.js', imports: ['_runtime.js'], css: ['assets/tenant-1.css'] },
      '_runtime.js': { file: 'assets/runtime-1.js' },
      '_shared.js': { file: 'assets/shared-1.js', imports: ['_runtime.js'], css: ['assets/shared-1.css'] },
      'tenant/pages/ContractDetail.svelte': {
        file: 'assets/ContractDetail-1.js',
        imports: ['_shared.js', '_runtime.js'],
        css: ['assets/ContractDetail-1.css'],
      },
      'tenant/pages/Home.svelte': { file: 'assets/Home-1.js', imports: ['_runtime.js'] },
    }),
  );
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const app = new Hono<AppEnv>();
  serveClient(app, join(dir, 'client'), manifest);
  const signedIn = { headers: { cookie: 'portier_session=abc' } };

  it("names a contract's code, styles and data, each once, and nothing the entry loads", async () => {
    const res = await app.request('/contracts/c%201', signedIn);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    const links = html.match(/<link [^>]+>/g) ?? [];
    expect(links).toEqual([
      '<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/me">',
      '<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/branding">',
      '<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/owner/ownerships">',
      '<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/contracts/c%201">',
      '<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/contracts/c%201/ledger">',
      '<link rel="modulepreload" crossorigin href="/assets/ContractDetail-1.js">',
      '<link rel="modulepreload" crossorigin href="/assets/shared-1.js">',
      '<link rel="preload" as="style" crossorigin href="/assets/ContractDetail-1.css">',
      '<link rel="preload" as="style" crossorigin href="/assets/shared-1.css">',
    ]);
    expect(html.indexOf('</head>')).toBeGreaterThan(html.lastIndexOf('<link'));
  });

  it('"/" is the home page with its preloads', async () => {
    const html = await (await app.request('/', signedIn)).text();
    expect(html).toContain('href="/api/home"');
    expect(html).toContain('<link rel="modulepreload" crossorigin href="/assets/Home-1.js">');
  });

  it('without a session cookie only the session and branding are asked for', async () => {
    const html = await (await app.request('/contracts/c1')).text();
    expect(html).toContain('href="/api/me"');
    expect(html).not.toContain('href="/api/contracts');
    expect(html).not.toContain('href="/api/owner');
    // The code still comes early: the login page is shown only once /api/me has answered.
    expect(html).toContain('ContractDetail-1.js');
  });

  it('an id that would break out of the attribute is escaped', async () => {
    const html = await (await app.request('/requests/%22%3E%3Cscript%3E', signedIn)).text();
    expect(html).toContain('href="/api/tickets/%22%3E%3Cscript%3E"');
    expect(html).not.toContain('"><script>');
  });

  it('pages it does not know get the shell with the session and branding preloads only', async () => {
    const html = await (await app.request('/settings', signedIn)).text();
    expect(html.match(/<link [^>]+>/g)).toHaveLength(2);
  });

  it('/index.html, which the service worker precaches for every path, is the file as built', async () => {
    const res = await app.request('/index.html?__WB_REVISION__=1', signedIn);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(shell);
  });
});
