import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestWorld } from '../helpers/context.ts';
import { createUser, strongPassword } from '../helpers/fixtures.ts';
import { call, loginAs, type CallOptions } from '../helpers/auth.ts';
import { isAllowedOrigin } from '../../server/auth/origin.ts';

/** Typed `unknown` so the matcher does not leak `any` into the object literals. */
const anyString: unknown = expect.any(String);

const token = 'abcdefghijkmnpqrstuvwxyz.abcdefghijkmnpqrstuvwxyz';

/** Every state-changing auth route with a body that would pass validation. */
const routes: { method: string; path: string; body: Record<string, unknown>; signedIn?: boolean }[] = [
  {
    method: 'POST',
    path: '/api/auth/login',
    body: { login: 'someone@example.org', password: 'Whatever-123' },
  },
  {
    method: 'POST',
    path: '/api/auth/register',
    body: {
      code: 'NOPE-NOPE-NOPE',
      email: 'new@example.org',
      password: strongPassword,
      acceptPrivacy: true,
      acceptTerms: true,
      acceptElectronicDelivery: true,
    },
  },
  { method: 'POST', path: '/api/auth/verify', body: { token } },
  { method: 'POST', path: '/api/auth/password/forgot', body: { email: 'someone@example.org' } },
  { method: 'POST', path: '/api/auth/password/reset', body: { token, password: strongPassword } },
  { method: 'POST', path: '/api/auth/email/confirm', body: { token } },
  {
    method: 'POST',
    path: '/api/me/password',
    body: { current: 'Whatever-123', next: strongPassword },
    signedIn: true,
  },
  {
    method: 'POST',
    path: '/api/me/email',
    body: { email: 'n@example.org', emailRepeat: 'n@example.org', password: 'Whatever-123' },
    signedIn: true,
  },
  { method: 'PATCH', path: '/api/me', body: { language: 'en' }, signedIn: true },
];

describe('request hygiene on every auth route', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  let session = '';
  beforeAll(async () => {
    const { email, password } = await createUser(ctx.deps.db);
    session = await loginAs(app, email, password);
  });
  afterAll(() => ctx.close());

  const send = (route: (typeof routes)[number], options: CallOptions) =>
    call(app, route.path, { method: route.method, cookie: route.signedIn ? session : undefined, ...options });

  it.each(routes)('$method $path: missing or foreign Origin → 403 origin_mismatch', async (route) => {
    for (const origin of [
      null,
      'https://evil.example',
      'null',
      'http://portier.test:8080',
      'https://portier.test',
    ]) {
      const res = await send(route, { json: route.body, origin });
      expect(res.status, String(origin)).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'origin_mismatch' } });
    }
  });

  it.each(routes)(
    '$method $path: malformed JSON, wrong content type, wrong types, unknown fields → 4xx with a code',
    async (route) => {
      const cases: [CallOptions, number, string][] = [
        [{ rawBody: '{"oops": ', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
        [{ rawBody: '', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
        [
          { rawBody: JSON.stringify(route.body), headers: { 'content-type': 'text/plain' } },
          415,
          'unsupported_media_type',
        ],
        [{ rawBody: JSON.stringify(route.body) }, 415, 'unsupported_media_type'],
        [{ json: null }, 400, 'validation_failed'],
        [{ json: 'a string' }, 400, 'validation_failed'],
        [{ json: [route.body] }, 400, 'validation_failed'],
        [{ json: { ...route.body, unexpected: true } }, 400, 'validation_failed'],
        [{ json: Object.fromEntries(Object.keys(route.body).map((k) => [k, 42])) }, 400, 'validation_failed'],
        [
          { json: Object.fromEntries(Object.keys(route.body).map((k) => [k, 'x'.repeat(5000)])) },
          400,
          'validation_failed',
        ],
      ];
      for (const [options, status, code] of cases) {
        const res = await send(route, options);
        expect(res.status, JSON.stringify(options).slice(0, 120)).toBe(status);
        expect(await res.json()).toMatchObject({ error: { code, message: anyString } });
      }
    },
  );

  it.each(routes)('$method $path: a huge body → 413 payload_too_large', async (route) => {
    const huge = JSON.stringify({ ...route.body, padding: 'x'.repeat(200 * 1024) });
    const streamed = await send(route, { rawBody: huge, headers: { 'content-type': 'application/json' } });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const declared = await send(route, {
      rawBody: huge,
      headers: { 'content-type': 'application/json', 'content-length': String(huge.length) },
    });
    expect(declared.status).toBe(413);
  });

  it('lets safe methods through without an Origin', async () => {
    expect((await call(app, '/api/health', { origin: null })).status).toBe(200);
    expect((await call(app, '/api/auth/password-policy', { origin: null })).status).toBe(200);
    expect((await call(app, '/api/me', { origin: null, cookie: session })).status).toBe(200);
  });

  it('answers the password policy with the default (NIST 800-63B rev. 4)', async () => {
    const res = await call(app, '/api/auth/password-policy');
    expect(await res.json()).toEqual({
      minLength: 12,
      maxLength: 128,
      minLowercase: 0,
      minUppercase: 0,
      minDigits: 0,
      minSymbols: 0,
      maxPersonalRun: null,
      blocksCommonPasswords: true,
    });
  });

  it('sends the lean API header set on every API answer, errors and refusals included', async () => {
    for (const res of [
      await call(app, '/api/health'),
      await call(app, '/api/nothing-here'),
      await call(app, '/api/auth/login', { json: {}, origin: null }),
    ]) {
      // OWASP REST cheat sheet: nothing may load from a JSON answer, and nothing may frame it.
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('sends a strict page CSP without unsafe-inline on the app itself', async () => {
    const res = await call(app, '/');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "connect-src 'self' ws://portier.test",
      "frame-ancestors 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "object-src 'none'",
      "worker-src 'self'",
      "manifest-src 'self'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS and a wss: connect source only when the public URL is https', async () => {
    const secure = await createTestWorld({ publicUrl: 'https://portal.example.org' });
    try {
      const app = createApp(secure.deps);
      const api = await call(app, '/api/health');
      expect(api.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const page = await call(app, '/');
      expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(page.headers.get('content-security-policy')).toContain(
        "connect-src 'self' wss://portal.example.org",
      );
    } finally {
      await secure.close();
    }
  });
});

describe('origin check configuration', () => {
  it('accepts only PUBLIC_URL’s origin plus ALLOWED_ORIGINS, never the Host header', async () => {
    const ctx = await createTestWorld();
    const extra = await createTestWorld({
      allowedOrigins: ['http://portier.test', 'https://app.example.org'],
    });
    try {
      const app = createApp(ctx.deps);
      const spoofed = await call(app, '/api/auth/password/forgot', {
        json: { email: 'a@example.org' },
        origin: 'http://attacker.example',
        headers: { host: 'attacker.example' },
      });
      expect(spoofed.status).toBe(403);
      const extraApp = createApp(extra.deps);
      const allowed = await call(extraApp, '/api/auth/password/forgot', {
        json: { email: 'a@example.org' },
        origin: 'https://app.example.org',
      });
      expect(allowed.status).toBe(202);
    } finally {
      await ctx.close();
      await extra.close();
    }
  });

  it('exports the check for the Socket.IO handshake', () => {
    const config = { allowedOrigins: ['https://portal.example.org'] };
    expect(isAllowedOrigin(config, 'https://portal.example.org')).toBe(true);
    expect(isAllowedOrigin(config, 'https://portal.example.org.evil.example')).toBe(false);
    expect(isAllowedOrigin(config, 'http://portal.example.org')).toBe(false);
    expect(isAllowedOrigin(config, undefined)).toBe(false);
    expect(isAllowedOrigin(config, '')).toBe(false);
  });
});
