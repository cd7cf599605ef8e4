import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestWorld } from '../helpers/context.ts';
import { createUser } from '../helpers/fixtures.ts';
import { call, listMails, loginAs, readLatestMail } from '../helpers/auth.ts';
import { listAuditEntriesFor } from '../../db/repositories/audit.ts';

describe('change of the login e-mail (seed 002)', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());
  beforeEach(() => {
    ctx.deps.now = () => new Date();
  });

  const requestChange = (cookie: string, email: string, password: string, emailRepeat = email) =>
    call(app, '/api/me/email', { json: { email, emailRepeat, password }, cookie });

  it('confirms by mail to the new address; the old login works until then, only the new one after', async () => {
    const { email: oldEmail, password, user } = await createUser(ctx.deps.db, { userLanguage: 'en' });
    const newEmail = 'moved.here@example.org';
    const session = await loginAs(app, oldEmail, password);

    const res = await requestChange(session, 'Moved.Here@example.org', password);
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'confirmation_sent' });

    const me = await call(app, '/api/me', { cookie: session });
    expect(((await me.json()) as { user: { loginEmail: string; pendingEmail: string } }).user).toMatchObject({
      loginEmail: oldEmail,
      pendingEmail: newEmail,
    });
    await loginAs(app, oldEmail, password);
    expect((await call(app, '/api/auth/login', { json: { login: newEmail, password } })).status).toBe(401);

    const mail = await readLatestMail(ctx, newEmail, { path: '/confirm-email' });
    expect(mail.subject).toBe('Confirm your new login e-mail address');
    expect(mail.link).toMatch(/^http:\/\/portier\.test\/confirm-email\?token=/);

    const confirmed = await call(app, '/api/auth/email/confirm', { json: { token: mail.token } });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toEqual({ status: 'email_changed' });

    await loginAs(app, newEmail, password);
    expect((await call(app, '/api/auth/login', { json: { login: oldEmail, password } })).status).toBe(401);
    const after = await call(app, '/api/me', { cookie: session });
    expect(((await after.json()) as { user: { loginEmail: string; pendingEmail: null } }).user).toMatchObject(
      {
        loginEmail: newEmail,
        pendingEmail: null,
      },
    );

    const notice = await readLatestMail(ctx, oldEmail);
    expect(notice.subject).toBe('Your login e-mail address was changed');
    expect(notice.text).toContain(newEmail);

    expect((await call(app, '/api/auth/email/confirm', { json: { token: mail.token } })).status).toBe(400);
    expect((await listAuditEntriesFor(ctx.deps.db, 'user', user.id)).map((e) => e.action)).toEqual(
      expect.arrayContaining(['account.email_change_requested', 'account.email_changed']),
    );
  });

  it('needs the password: wrong → 400 current_password_wrong, no mail', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const session = await loginAs(app, email, password);
    const res = await requestChange(session, 'elsewhere@example.org', 'Not-My-Password-1');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'current_password_wrong' } });
    await expect(readLatestMail(ctx, 'elsewhere@example.org', { timeoutMs: 100 })).rejects.toThrow();
  });

  it('refuses differing repeats, the same address and a taken address', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const other = await createUser(ctx.deps.db);
    const session = await loginAs(app, email, password);

    const differ = await requestChange(session, 'a@example.org', password, 'b@example.org');
    expect(differ.status).toBe(400);
    expect(await differ.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { emailRepeat: 'emails_differ' } },
    });

    const same = await requestChange(session, email.toUpperCase(), password);
    expect(same.status).toBe(400);
    expect(await same.json()).toMatchObject({ error: { code: 'email_unchanged' } });

    const taken = await requestChange(session, other.email, password);
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('answers 409 email_taken when the address was taken between request and confirmation', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const session = await loginAs(app, email, password);
    const target = 'contested@example.org';
    expect((await requestChange(session, target, password)).status).toBe(202);
    const mail = await readLatestMail(ctx, target, { path: '/confirm-email' });
    await createUser(ctx.deps.db, { email: target });
    const res = await call(app, '/api/auth/email/confirm', { json: { token: mail.token } });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('expires the confirmation link after 24 hours; a newer request replaces the older link', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const session = await loginAs(app, email, password);
    await requestChange(session, 'first-choice@example.org', password);
    const first = await readLatestMail(ctx, 'first-choice@example.org', { path: '/confirm-email' });
    await requestChange(session, 'second-choice@example.org', password);
    const second = await readLatestMail(ctx, 'second-choice@example.org', { path: '/confirm-email' });
    expect((await call(app, '/api/auth/email/confirm', { json: { token: first.token } })).status).toBe(400);

    ctx.deps.now = () => new Date(Date.now() + 24 * 60 * 60 * 1000 + 1000);
    const late = await call(app, '/api/auth/email/confirm', { json: { token: second.token } });
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: { code: 'invalid_token' } });
  });

  /** Issue 13 finding 3: a pending change asked for by someone who knew the password. */
  describe('a pending change ends when the owner secures the account', () => {
    const confirmStatus = async (token: string | null) =>
      (await call(app, '/api/auth/email/confirm', { json: { token } })).status;
    const pendingOf = async (cookie: string) =>
      ((await (await call(app, '/api/me/email', { cookie })).json()) as { pending: unknown }).pending;

    it('after a password change the mailed confirmation link no longer works', async () => {
      const { email, password } = await createUser(ctx.deps.db);
      const session = await loginAs(app, email, password);
      const attacker = 'attacker-pw@example.org';
      expect((await requestChange(session, attacker, password)).status).toBe(202);
      const mail = await readLatestMail(ctx, attacker, { path: '/confirm-email' });

      const next = 'Fresh-Granite-Orbit-51';
      const changed = await call(app, '/api/me/password', {
        json: { current: password, next },
        cookie: session,
      });
      expect(changed.status).toBe(200);
      expect(await confirmStatus(mail.token)).toBe(400);
      expect(await pendingOf(session)).toBeNull();
      await loginAs(app, email, next);
    });

    it('after a password reset the mailed confirmation link no longer works', async () => {
      const { email, password } = await createUser(ctx.deps.db);
      const session = await loginAs(app, email, password);
      const attacker = 'attacker-reset@example.org';
      expect((await requestChange(session, attacker, password)).status).toBe(202);
      const mail = await readLatestMail(ctx, attacker, { path: '/confirm-email' });

      const forgot = await call(app, '/api/auth/password/forgot', { json: { email }, ip: '192.0.2.131' });
      expect(forgot.status).toBe(202);
      const reset = await readLatestMail(ctx, email, { path: '/reset-password' });
      const done = await call(app, '/api/auth/password/reset', {
        json: { token: reset.token, password: 'Quiet-Lantern-Meadow-62' },
      });
      expect(done.status).toBe(200);
      expect(await confirmStatus(mail.token)).toBe(400);
      const fresh = await loginAs(app, email, 'Quiet-Lantern-Meadow-62');
      expect(await pendingOf(fresh)).toBeNull();
    });

    it('after signing out everywhere the mailed confirmation link no longer works', async () => {
      const { email, password } = await createUser(ctx.deps.db);
      const session = await loginAs(app, email, password);
      const attacker = 'attacker-logout@example.org';
      expect((await requestChange(session, attacker, password)).status).toBe(202);
      const mail = await readLatestMail(ctx, attacker, { path: '/confirm-email' });

      const out = await call(app, '/api/auth/logout-everywhere', { method: 'POST', cookie: session });
      expect(out.status).toBe(204);
      expect(await confirmStatus(mail.token)).toBe(400);
      const fresh = await loginAs(app, email, password);
      expect(await pendingOf(fresh)).toBeNull();
      const me = (await (await call(app, '/api/me', { cookie: fresh })).json()) as {
        user: { loginEmail: string; pendingEmail: string | null };
      };
      expect(me.user).toMatchObject({ loginEmail: email, pendingEmail: null });
    });
  });

  describe('GET and DELETE /api/me/email: see and cancel a pending change', () => {
    it('shows the pending address with request and expiry time; cancelling ends the link', async () => {
      const { email, password } = await createUser(ctx.deps.db);
      const session = await loginAs(app, email, password);
      const empty = await call(app, '/api/me/email', { cookie: session });
      expect(empty.status).toBe(200);
      expect(await empty.json()).toEqual({ pending: null });

      const requestedAt = new Date('2026-03-02T09:15:00.000Z');
      ctx.deps.now = () => requestedAt;
      expect((await requestChange(session, 'next-home@example.org', password)).status).toBe(202);
      const mail = await readLatestMail(ctx, 'next-home@example.org', { path: '/confirm-email' });
      const shown = await call(app, '/api/me/email', { cookie: session });
      expect(await shown.json()).toEqual({
        pending: {
          email: 'next-home@example.org',
          requestedAt: '2026-03-02T09:15:00.000Z',
          expiresAt: '2026-03-03T09:15:00.000Z',
        },
      });

      const cancelled = await call(app, '/api/me/email', { method: 'DELETE', cookie: session });
      expect(cancelled.status).toBe(200);
      expect(await cancelled.json()).toEqual({ status: 'cancelled' });
      expect(await (await call(app, '/api/me/email', { cookie: session })).json()).toEqual({ pending: null });
      expect((await call(app, '/api/auth/email/confirm', { json: { token: mail.token } })).status).toBe(400);
    });

    it('cancelling with nothing pending is a no-op that says so', async () => {
      const { email, password } = await createUser(ctx.deps.db);
      const session = await loginAs(app, email, password);
      const res = await call(app, '/api/me/email', { method: 'DELETE', cookie: session });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'nothing_pending' });
    });

    it('cancels only the caller’s own pending change', async () => {
      const owner = await createUser(ctx.deps.db);
      const other = await createUser(ctx.deps.db);
      const ownerSession = await loginAs(app, owner.email, owner.password);
      const otherSession = await loginAs(app, other.email, other.password);
      expect((await requestChange(ownerSession, 'owner-next@example.org', owner.password)).status).toBe(202);
      const mail = await readLatestMail(ctx, 'owner-next@example.org', { path: '/confirm-email' });

      const res = await call(app, '/api/me/email', { method: 'DELETE', cookie: otherSession });
      expect(await res.json()).toEqual({ status: 'nothing_pending' });
      expect(await (await call(app, '/api/me/email', { cookie: otherSession })).json()).toEqual({
        pending: null,
      });
      expect((await call(app, '/api/auth/email/confirm', { json: { token: mail.token } })).status).toBe(200);
    });

    it('needs a session: 401 without one', async () => {
      expect((await call(app, '/api/me/email')).status).toBe(401);
      expect((await call(app, '/api/me/email', { method: 'DELETE' })).status).toBe(401);
    });
  });

  it('tells the OLD address when the change is asked for, in the user’s language', async () => {
    const cases = [
      ['en', 'Someone asked to change your login e-mail address', 'change your password'],
      ['de', 'Änderung Ihrer Login-E-Mail-Adresse angefordert', 'ändern Sie bitte sofort Ihr Passwort'],
      ['sv', 'Begäran om att byta din inloggningsadress', 'byt ditt lösenord'],
    ] as const;
    for (const [language, subject, hint] of cases) {
      const { email, password } = await createUser(ctx.deps.db, { userLanguage: language });
      const session = await loginAs(app, email, password);
      const target = `requested-${language}@example.org`;
      expect((await requestChange(session, target, password)).status).toBe(202);

      // Before any confirmation: the old address already knows, and where the change would go.
      const notice = await readLatestMail(ctx, email);
      expect(notice.subject).toBe(subject);
      expect(notice.text).toContain(target);
      expect(notice.text).toContain(hint);
      expect(notice.text).toContain('http://portier.test/settings');
      // It carries no confirmation link: only the new address can confirm.
      expect(notice.token).toBeNull();
      expect(listMails(ctx.dataDir, email)).toHaveLength(1);
    }
  });

  it('needs a session: 401 without one', async () => {
    const res = await call(app, '/api/me/email', {
      json: { email: 'x@example.org', emailRepeat: 'x@example.org', password: 'whatever-1' },
    });
    expect(res.status).toBe(401);
  });
});
