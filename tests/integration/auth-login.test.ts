import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestWorld } from '../helpers/context.ts';
import { forgetRateLimits } from '../helpers/rate-limit-reset.ts';
import { testTables } from '../helpers/tables.ts';
import { createUser } from '../helpers/fixtures.ts';
import { call, loginAs, sessionCookieOf, setCookieHeader } from '../helpers/auth.ts';
import { listAuditEntriesFor } from '../../db/repositories/audit.ts';
import { findAccountByUserId } from '../../db/repositories/users.ts';

/** Typed `unknown` so the matcher does not leak `any` into the object literals. */
const anyString: unknown = expect.any(String);

describe('login, session, logout', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());
  beforeEach(() => {
    ctx.deps.now = () => new Date();
  });

  it('signs in by login e-mail in any case and answers with the user and a session cookie', async () => {
    const { email, password, user } = await createUser(ctx.deps.db, { email: 'anna.berg@example.org' });
    const res = await call(app, '/api/auth/login', { json: { login: '  ANNA.Berg@Example.org ', password } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: Record<string, unknown> };
    expect(body.user).toMatchObject({
      id: user.id,
      role: 'customer',
      loginEmail: email,
      displayName: 'Erika Mustermann',
      language: 'de',
      lastVisitAt: null,
      pendingEmail: null,
    });
    const token = sessionCookieOf(res);
    expect(token).toMatch(/^[a-z2-9]{24}\.[a-z2-9]{24}$/);

    const me = await call(app, '/api/me', { cookie: token });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(user.id);
  });

  it('sets the cookie HttpOnly, SameSite=Lax, Path=/ and (on http) without Secure', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const res = await call(app, '/api/auth/login', { json: { login: email, password } });
    const header = setCookieHeader(res)!;
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header).toMatch(/; Path=\//);
    expect(header).toMatch(/; Expires=/);
    expect(header).not.toMatch(/Secure/);
  });

  it('marks the cookie Secure when the portal is served over https', async () => {
    const secure = await createTestWorld({ publicUrl: 'https://portal.example.org' });
    try {
      const secureApp = createApp(secure.deps);
      const { email, password } = await createUser(secure.deps.db);
      const res = await call(secureApp, '/api/auth/login', {
        json: { login: email, password },
        origin: 'https://portal.example.org',
      });
      expect(res.status).toBe(200);
      expect(setCookieHeader(res)).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  it('signs in by customer / member number (seeds 000, 001)', async () => {
    const { user, password } = await createUser(ctx.deps.db, { customerNumber: '10-4711' });
    const res = await call(app, '/api/auth/login', { json: { login: '10-4711', password } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { id: string; customerNumber: string } }).user).toMatchObject({
      id: user.id,
      customerNumber: '10-4711',
    });
  });

  it('answers a wrong password and an unknown login identically', async () => {
    const { email } = await createUser(ctx.deps.db);
    const wrong = await call(app, '/api/auth/login', {
      json: { login: email, password: 'not-the-password-1' },
    });
    const unknown = await call(app, '/api/auth/login', {
      json: { login: 'nobody@example.org', password: 'not-the-password-1' },
    });
    const unknownNumber = await call(app, '/api/auth/login', { json: { login: '99-0000', password: 'x' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknownNumber.status).toBe(401);
    const [a, b, c] = await Promise.all([wrong.text(), unknown.text(), unknownNumber.text()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(JSON.parse(a)).toEqual({ error: { code: 'invalid_credentials', message: anyString } });
    expect(sessionCookieOf(wrong)).toBeNull();
  });

  it('spends argon2 time on unknown logins too (same order of magnitude)', async () => {
    const { email } = await createUser(ctx.deps.db);
    const time = async (login: string) => {
      const start = performance.now();
      await call(app, '/api/auth/login', {
        json: { login, password: 'Wrong-Password-42' },
        ip: '198.51.100.9',
      });
      return performance.now() - start;
    };
    // The fastest of three each: other test files run in parallel and only ever add delay.
    const fastest = async (login: string) =>
      Math.min(await time(login), await time(login), await time(login));
    await time('warm-up@example.org');
    const known = await fastest(email);
    const unknown = await fastest('ghost@example.org');
    expect(unknown).toBeGreaterThan(known / 5);
    expect(unknown).toBeLessThan(known * 5);
    // Both paths really ran argon2id (m = 19 MiB, t = 2): well above a plain database lookup.
    expect(Math.min(known, unknown)).toBeGreaterThan(3);
  });

  it('refuses an unverified address with 403 email_not_verified, only after the right password', async () => {
    const { email, password } = await createUser(ctx.deps.db, { verified: false });
    const wrong = await call(app, '/api/auth/login', {
      json: { login: email, password: 'Wrong-Password-42' },
    });
    expect(wrong.status).toBe(401);
    const right = await call(app, '/api/auth/login', { json: { login: email, password } });
    expect(right.status).toBe(403);
    expect(await right.json()).toMatchObject({ error: { code: 'email_not_verified' } });
    expect(sessionCookieOf(right)).toBeNull();
  });

  it('refuses a disabled account with 403 account_disabled', async () => {
    const { email, password } = await createUser(ctx.deps.db, { disabled: true });
    const res = await call(app, '/api/auth/login', { json: { login: email, password } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'account_disabled' } });
  });

  it('keeps the previous visit as lastVisitAt (seed 000 "Ihr letzter Besuch")', async () => {
    const { email, password, user } = await createUser(ctx.deps.db);
    const first = new Date('2026-01-10T08:00:00Z');
    ctx.deps.now = () => first;
    await loginAs(app, email, password);
    ctx.deps.now = () => new Date('2026-01-12T09:30:00Z');
    const res = await call(app, '/api/auth/login', { json: { login: email, password } });
    expect(((await res.json()) as { user: { lastVisitAt: string } }).user.lastVisitAt).toBe(
      first.toISOString(),
    );
    const stored = (await findAccountByUserId(ctx.deps.db, user.id))!.user;
    expect(stored.previousLoginAt?.toISOString()).toBe(first.toISOString());
    expect(stored.lastLoginAt?.toISOString()).toBe('2026-01-12T09:30:00.000Z');
  });

  it('writes audit entries for failed and successful logins', async () => {
    const { email, password, user } = await createUser(ctx.deps.db);
    await call(app, '/api/auth/login', { json: { login: email, password: 'Wrong-Password-42' } });
    await loginAs(app, email, password);
    const actions = (await listAuditEntriesFor(ctx.deps.db, 'user', user.id)).map((e) => e.action);
    expect(actions).toContain('auth.login_failed');
    expect(actions).toContain('auth.login_succeeded');
  });

  it('logs out: 204, cookie cleared, the session is gone', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const token = await loginAs(app, email, password);
    const res = await call(app, '/api/auth/logout', { method: 'POST', cookie: token });
    expect(res.status).toBe(204);
    expect(sessionCookieOf(res)).toBe('');
    expect(setCookieHeader(res)).toMatch(/Max-Age=0/);
    expect((await call(app, '/api/me', { cookie: token })).status).toBe(401);
    // Logging out twice is harmless.
    expect((await call(app, '/api/auth/logout', { method: 'POST', cookie: token })).status).toBe(204);
  });

  it('answers /me without a session with 401 unauthenticated and clears a bogus cookie', async () => {
    const none = await call(app, '/api/me');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const forged = await call(app, '/api/me', {
      cookie: 'abcdefghijkmnpqrstuvwxyz.abcdefghijkmnpqrstuvwxyz',
    });
    expect(forged.status).toBe(401);
    expect(sessionCookieOf(forged)).toBe('');
    const garbage = await call(app, '/api/me', { cookie: '%%%;;;' });
    expect(garbage.status).toBe(401);
  });

  it('refuses a session token whose secret does not match (only the id is right)', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const token = await loginAs(app, email, password);
    const [id] = token.split('.');
    const res = await call(app, '/api/me', { cookie: `${id}.abcdefghijkmnpqrstuvwxyz` });
    expect(res.status).toBe(401);
    expect((await call(app, '/api/me', { cookie: token })).status).toBe(200);
  });

  it('slides the expiry: renewed when less than half of 30 days remain, expired after 30 idle days', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const start = Date.now();
    const day = 24 * 60 * 60 * 1000;
    const token = await loginAs(app, email, password);

    ctx.deps.now = () => new Date(start + 10 * day);
    const early = await call(app, '/api/me', { cookie: token });
    expect(early.status).toBe(200);
    expect(sessionCookieOf(early)).toBeNull(); // more than half left: no write, no new cookie

    ctx.deps.now = () => new Date(start + 20 * day);
    const renewed = await call(app, '/api/me', { cookie: token });
    expect(renewed.status).toBe(200);
    expect(sessionCookieOf(renewed)).toBe(token);

    ctx.deps.now = () => new Date(start + 45 * day); // 25 days after the renewal: still valid
    expect((await call(app, '/api/me', { cookie: token })).status).toBe(200);

    ctx.deps.now = () => new Date(start + 200 * day);
    const expired = await call(app, '/api/me', { cookie: token });
    expect(expired.status).toBe(401);
    expect(sessionCookieOf(expired)).toBe('');
  });

  it('stores only a SHA-256 of the session secret', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const token = await loginAs(app, email, password);
    const [id, secret] = token.split('.');
    const [row] = await ctx.deps.db.select().from(testTables.sessions).where(eq(testTables.sessions.id, id!));
    expect(row!.secretHash).toBeInstanceOf(Buffer);
    expect(row!.secretHash.length).toBe(32);
    expect(JSON.stringify(row)).not.toContain(secret);
  });
});

describe('login throttling', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());

  it('blocks the 6th wrong password for an account from one address with 429 and Retry-After', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const ip = '203.0.113.10';
    for (let i = 1; i <= 5; i++) {
      const res = await call(app, '/api/auth/login', {
        json: { login: email, password: `Wrong-${i}-password` },
        ip,
      });
      expect(res.status).toBe(401);
    }
    const sixth = await call(app, '/api/auth/login', {
      json: { login: email, password: 'Wrong-6-password' },
      ip,
    });
    expect(sixth.status).toBe(429);
    expect(await sixth.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // Even the right password waits out the block …
    expect((await call(app, '/api/auth/login', { json: { login: email, password }, ip })).status).toBe(429);
    // … but another address is not affected.
    expect(
      (await call(app, '/api/auth/login', { json: { login: email, password }, ip: '203.0.113.11' })).status,
    ).toBe(200);
  });

  it('throttles unknown logins the same way (the 429 reveals nothing)', async () => {
    const ip = '203.0.113.20';
    for (let i = 1; i <= 5; i++) {
      const res = await call(app, '/api/auth/login', {
        json: { login: 'ghost@example.org', password: `Wrong-${i}` },
        ip,
      });
      expect(res.status).toBe(401);
    }
    expect(
      (await call(app, '/api/auth/login', { json: { login: 'ghost@example.org', password: 'x' }, ip }))
        .status,
    ).toBe(429);
  });

  it('resets the counter after a successful login', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const ip = '203.0.113.30';
    for (let i = 1; i <= 4; i++) {
      await call(app, '/api/auth/login', { json: { login: email, password: `Wrong-${i}-password` }, ip });
    }
    await loginAs(app, email, password, ip);
    for (let i = 1; i <= 4; i++) {
      const res = await call(app, '/api/auth/login', {
        json: { login: email, password: `Wrong-${i}-password` },
        ip,
      });
      expect(res.status).toBe(401);
    }
    expect((await call(app, '/api/auth/login', { json: { login: email, password }, ip })).status).toBe(200);
  });

  it('blocks longer each time (progressive)', async () => {
    const { email } = await createUser(ctx.deps.db);
    const ip = '203.0.113.40';
    const failFive = async () => {
      for (let i = 1; i <= 5; i++) {
        await call(app, '/api/auth/login', { json: { login: email, password: `Wrong-${i}-password` }, ip });
      }
    };
    await failFive();
    const first = await call(app, '/api/auth/login', { json: { login: email, password: 'x' }, ip });
    expect(Number(first.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);
    // Let the first block run out (the limiter's own store keeps real time); the block history stays.
    await forgetRateLimits(ctx.deps, 'pw_fail');
    await failFive();
    const second = await call(app, '/api/auth/login', { json: { login: email, password: 'x' }, ip });
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(29 * 60);
  });

  it('uses X-Forwarded-For only behind a trusted proxy', async () => {
    const proxied = await createTestWorld({ trustProxy: true });
    try {
      const proxiedApp = createApp(proxied.deps);
      const { email } = await createUser(proxied.deps.db);
      const attempt = (forwardedFor: string) =>
        call(proxiedApp, '/api/auth/login', {
          json: { login: email, password: 'Wrong-password-1' },
          headers: { 'x-forwarded-for': forwardedFor },
          ip: '10.0.0.1',
        });
      for (let i = 0; i < 5; i++) expect((await attempt(`198.51.100.${i}, 192.0.2.1`)).status).toBe(401);
      // Spoofed left-hand entries do not help: the proxy-appended last entry is the client.
      expect((await attempt('198.51.100.99, 192.0.2.1')).status).toBe(429);
      expect((await attempt('192.0.2.2')).status).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});
