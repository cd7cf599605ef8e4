import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestWorld } from '../helpers/context.ts';
import { createUser, setPasswordPolicy, strongPassword } from '../helpers/fixtures.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { call, listMails, loginAs, readLatestMail } from '../helpers/auth.ts';
import { listAuditEntriesFor } from '../../db/repositories/audit.ts';
import { countSessionsOfUser } from '../../db/repositories/sessions.ts';

const newPassword = 'Lantern-Meadow-Copper-31';

describe('forgot and reset password', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());
  beforeEach(() => {
    ctx.deps.now = () => new Date();
  });

  const forgot = (email: string, ip = '192.0.2.60') =>
    call(app, '/api/auth/password/forgot', { json: { email }, ip });

  it('always answers 202, and mails a link only to an existing login', async () => {
    const { email } = await createUser(ctx.deps.db, { email: 'reset.me@example.org' });
    const known = await forgot('Reset.Me@example.org');
    const unknown = await forgot('nobody-here@example.org');
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(await known.text()).toBe(await unknown.text());

    const mail = await readLatestMail(ctx, email, { path: '/reset-password' });
    expect(mail.link).toMatch(/^http:\/\/portier\.test\/reset-password\?token=[a-z2-9]{24}\.[a-z2-9]{24}$/);
    expect(mail.subject).toBe('Passwort zurücksetzen');
    await drainOutbox(ctx.deps);
    expect(listMails(ctx.dataDir, 'nobody-here@example.org')).toEqual([]);
  });

  it('resets the password, ends every session, audits and notifies; the link works once', async () => {
    const { email, password, user } = await createUser(ctx.deps.db);
    const phone = await loginAs(app, email, password);
    const laptop = await loginAs(app, email, password);
    expect(await countSessionsOfUser(ctx.deps.db, user.id)).toBe(2);

    await forgot(email);
    const mail = await readLatestMail(ctx, email, { path: '/reset-password' });
    const res = await call(app, '/api/auth/password/reset', {
      json: { token: mail.token, password: newPassword },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'password_reset' });

    expect((await call(app, '/api/me', { cookie: phone })).status).toBe(401);
    expect((await call(app, '/api/me', { cookie: laptop })).status).toBe(401);
    expect(await countSessionsOfUser(ctx.deps.db, user.id)).toBe(0);

    const old = await call(app, '/api/auth/login', { json: { login: email, password } });
    expect(old.status).toBe(401);
    await loginAs(app, email, newPassword);

    const reused = await call(app, '/api/auth/password/reset', {
      json: { token: mail.token, password: 'Yet-Another-Pass-4711' },
    });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: { code: 'invalid_token' } });

    const notice = await readLatestMail(ctx, email);
    expect(notice.subject).toBe('Ihr Passwort wurde geändert');
    expect((await listAuditEntriesFor(ctx.deps.db, 'user', user.id)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['account.password_reset_requested', 'account.password_reset']),
    );
  });

  it('honours only the newest reset link', async () => {
    const { email } = await createUser(ctx.deps.db);
    await forgot(email);
    const first = await readLatestMail(ctx, email, { path: '/reset-password' });
    await forgot(email);
    const second = await readLatestMail(ctx, email, { path: '/reset-password', after: first.file });
    expect(second.token).not.toBe(first.token);
    expect(
      (await call(app, '/api/auth/password/reset', { json: { token: first.token, password: newPassword } }))
        .status,
    ).toBe(400);
    expect(
      (await call(app, '/api/auth/password/reset', { json: { token: second.token, password: newPassword } }))
        .status,
    ).toBe(200);
  });

  it('expires the reset link after one hour', async () => {
    const { email } = await createUser(ctx.deps.db);
    await forgot(email);
    const mail = await readLatestMail(ctx, email, { path: '/reset-password' });
    ctx.deps.now = () => new Date(Date.now() + 60 * 60 * 1000 + 1000);
    const res = await call(app, '/api/auth/password/reset', {
      json: { token: mail.token, password: newPassword },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('refuses a weak new password and leaves the link usable', async () => {
    const { email } = await createUser(ctx.deps.db, { lastName: 'Kornblumenfeld' });
    await forgot(email);
    const mail = await readLatestMail(ctx, email, { path: '/reset-password' });
    const weak = await call(app, '/api/auth/password/reset', {
      json: { token: mail.token, password: 'Kornblumenfeld-2026' },
    });
    expect(weak.status).toBe(400);
    expect(await weak.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { password: 'password_personal' } },
    });
    expect(
      (await call(app, '/api/auth/password/reset', { json: { token: mail.token, password: newPassword } }))
        .status,
    ).toBe(200);
  });

  it('mails at most three reset links per address and hour, still answering 202', async () => {
    const { email } = await createUser(ctx.deps.db);
    for (let i = 0; i < 5; i++) expect((await forgot(email, `192.0.2.${100 + i}`)).status).toBe(202);
    await drainOutbox(ctx.deps);
    expect(listMails(ctx.dataDir, email)).toHaveLength(3);
  });

  it('throttles reset requests per client address with 429', async () => {
    const ip = '192.0.2.200';
    for (let i = 0; i < 20; i++) expect((await forgot(`who${i}@example.org`, ip)).status).toBe(202);
    const res = await forgot('who-else@example.org', ip);
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('change password while signed in', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());

  it('keeps the current session, ends the other ones, audits and mails', async () => {
    const { email, password, user } = await createUser(ctx.deps.db);
    const current = await loginAs(app, email, password);
    const other = await loginAs(app, email, password);

    const res = await call(app, '/api/me/password', {
      json: { current: password, next: newPassword },
      cookie: current,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'password_changed' });

    expect((await call(app, '/api/me', { cookie: current })).status).toBe(200);
    expect((await call(app, '/api/me', { cookie: other })).status).toBe(401);
    await loginAs(app, email, newPassword);
    expect((await call(app, '/api/auth/login', { json: { login: email, password } })).status).toBe(401);

    const mail = await readLatestMail(ctx, email);
    expect(mail.subject).toBe('Ihr Passwort wurde geändert');
    expect((await listAuditEntriesFor(ctx.deps.db, 'user', user.id)).map((e) => e.action)).toContain(
      'account.password_changed',
    );
  });

  it('answers a wrong current password with 400 current_password_wrong and throttles like a login', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const ip = '198.51.100.70';
    const session = await loginAs(app, email, password, ip);
    for (let i = 1; i <= 5; i++) {
      const res = await call(app, '/api/me/password', {
        json: { current: `Wrong-${i}-password`, next: newPassword },
        cookie: session,
        ip,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'current_password_wrong' } });
    }
    const blocked = await call(app, '/api/me/password', {
      json: { current: password, next: newPassword },
      cookie: session,
      ip,
    });
    expect(blocked.status).toBe(429);
  });

  it('checks the new password against the policy (field "next")', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const session = await loginAs(app, email, password);
    const res = await call(app, '/api/me/password', {
      json: { current: password, next: 'short' },
      cookie: session,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { next: 'password_too_short' } },
    });
  });

  it('applies a landlord policy from settings (seed 004 composition rules)', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const session = await loginAs(app, email, password);
    await setPasswordPolicy(ctx.deps.db, {
      minLength: 8,
      minUppercase: 1,
      minLowercase: 1,
      minDigits: 1,
      minSymbols: 1,
    });
    try {
      const policy = await call(app, '/api/auth/password-policy');
      expect(await policy.json()).toMatchObject({ minLength: 8, minSymbols: 1, minDigits: 1 });
      const noSymbol = await call(app, '/api/me/password', {
        json: { current: password, next: 'Hyresavi2026' },
        cookie: session,
      });
      expect(await noSymbol.json()).toMatchObject({ error: { fields: { next: 'password_needs_symbols' } } });
      const ok = await call(app, '/api/me/password', {
        json: { current: password, next: 'Hyres#avi26' },
        cookie: session,
      });
      expect(ok.status).toBe(200);
    } finally {
      await setPasswordPolicy(ctx.deps.db, {});
    }
  });

  it('needs a session: 401 without one', async () => {
    const res = await call(app, '/api/me/password', { json: { current: strongPassword, next: newPassword } });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});
