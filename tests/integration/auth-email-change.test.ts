import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestDeps } from '../helpers/context.ts';
import { createUser } from '../helpers/fixtures.ts';
import { call, loginAs, readLatestMail } from '../helpers/auth.ts';
import { listAuditEntriesFor } from '../../db/repositories/audit.ts';

describe('change of the login e-mail (seed 002)', () => {
  const ctx = createTestDeps();
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
    expect(listAuditEntriesFor(ctx.deps.db, 'user', user.id).map((e) => e.action)).toEqual(
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

  it('needs a session: 401 without one', async () => {
    const res = await call(app, '/api/me/email', {
      json: { email: 'x@example.org', emailRepeat: 'x@example.org', password: 'whatever-1' },
    });
    expect(res.status).toBe(401);
  });
});
