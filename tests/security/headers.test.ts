import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.ts';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { createUser, type UserFixture } from '../helpers/fixtures.ts';
import { call, setCookieHeader } from '../helpers/auth.ts';

/**
 * Issue 7 item 5, headers: the policies of server/lib/security-headers.ts and the session cookie of
 * server/auth/cookies.ts, on plain http (development, tests) and behind TLS (PUBLIC_URL https).
 * Checked on an API answer, an API error and the PWA's entry paths, since all of them are what a
 * browser may be tricked into loading. Pages get the full document policy; API answers the lean
 * one of the OWASP REST cheat sheet, which is stricter still (nothing may load from them at all).
 */
const pagePaths = ['/', '/staff/'];
const apiPaths = ['/api/health', '/api/no-such-route'];
const paths = [...pagePaths, ...apiPaths];

/** `script-src 'self'` → Map('script-src' → ["'self'"]). */
function parseCsp(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

function setup(publicUrl: string) {
  let ctx: TestWorld;
  let app: App;
  let user: UserFixture;
  beforeAll(async () => {
    ctx = await createTestWorld({ publicUrl });
    app = createApp(ctx.deps);
    user = await createUser(ctx.deps.db);
  });
  afterAll(() => ctx?.close());
  const origin = new URL(publicUrl).origin;
  return {
    get: (path: string) => call(app, path, { origin }),
    login: () =>
      call(app, '/api/auth/login', { json: { login: user.email, password: user.password }, origin }),
  };
}

describe('on http (PUBLIC_URL http://…)', () => {
  const server = setup('http://portier.test');

  it.each(paths)(
    '%s: CSP without unsafe-inline script, no framing, nosniff, referrer policy',
    async (path) => {
      const res = await server.get(path);
      const csp = parseCsp(res.headers.get('content-security-policy'));
      const scriptSrc = csp.get('script-src') ?? csp.get('default-src') ?? [];
      expect(scriptSrc.length).toBeGreaterThan(0);
      expect(scriptSrc).not.toContain("'unsafe-inline'");
      expect(scriptSrc).not.toContain("'unsafe-eval'");
      expect(scriptSrc).not.toContain('*');
      expect(csp.get('object-src') ?? csp.get('default-src')).toEqual(["'none'"]);
      expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp.get('base-uri') ?? csp.get('default-src')).not.toContain('*');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']).toContain(
        res.headers.get('referrer-policy'),
      );
    },
  );

  it.each(pagePaths)('%s: the document policy (base-uri, form-action, COOP, permissions)', async (path) => {
    const res = await server.get(path);
    const csp = parseCsp(res.headers.get('content-security-policy'));
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(res.headers.get('permissions-policy')).toContain('geolocation=()');
  });

  it.each(apiPaths)('%s: API answers load nothing and are not readable cross-origin', async (path) => {
    const res = await server.get(path);
    const csp = parseCsp(res.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    // Document-only headers are not repeated on JSON.
    expect(res.headers.get('permissions-policy')).toBeNull();
  });

  it('sends no HSTS on plain http (it would be ignored, and would stick on localhost)', async () => {
    const res = await server.get('/api/health');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('session cookie: HttpOnly, SameSite=Lax, Path=/, not Secure on http', async () => {
    const res = await server.login();
    expect(res.status).toBe(200);
    const cookie = setCookieHeader(res)!;
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(cookie).not.toMatch(/;\s*Domain=/i);
  });
});

describe('behind TLS (PUBLIC_URL https://…)', () => {
  const server = setup('https://portier.test');

  it.each(paths)('%s: HSTS for a year', async (path) => {
    const res = await server.get(path);
    const hsts = res.headers.get('strict-transport-security') ?? '';
    const maxAge = Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0);
    expect(maxAge).toBeGreaterThanOrEqual(31_536_000);
    const csp = parseCsp(res.headers.get('content-security-policy'));
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it.each(pagePaths)('%s: the same page CSP, naming the wss: socket origin', async (path) => {
    const csp = parseCsp((await server.get(path)).headers.get('content-security-policy'));
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    // The socket origin is named for browsers where 'self' does not cover wss: (CSP3 §6.7.2.6).
    expect(csp.get('connect-src')).toContain('wss://portier.test');
  });

  it('session cookie: Secure as well', async () => {
    const res = await server.login();
    expect(res.status).toBe(200);
    const cookie = setCookieHeader(res)!;
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
  });
});
