import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestWorld } from '../helpers/context.ts';
import { testTables } from '../helpers/tables.ts';
import { createPerson, createRegistrationCode, createUser, strongPassword } from '../helpers/fixtures.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { call, listMails, loginAs, readLatestMail } from '../helpers/auth.ts';
import { listConsentsOfUser } from '../../db/repositories/consents.ts';
import { findAccountByLoginEmail, findUserByPersonId } from '../../db/repositories/users.ts';
import { findRegistrationCodeByHash } from '../../db/repositories/registration-codes.ts';
import { hashRegistrationCode } from '../../server/auth/registration-code.ts';
import { listAuditEntriesFor } from '../../db/repositories/audit.ts';

/** Typed `unknown` so the matcher does not leak `any` into the object literals. */
const anyString: unknown = expect.any(String);

const consents = { acceptPrivacy: true, acceptTerms: true, acceptElectronicDelivery: true } as const;

describe('registration with the code from the letter', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());
  beforeEach(() => {
    ctx.deps.now = () => new Date();
  });

  const register = (body: Record<string, unknown>, ip = '192.0.2.50') =>
    call(app, '/api/auth/register', { json: body, ip });

  it('registers, mails a verification link, verifies once, then signs in', async () => {
    const person = await createPerson(ctx.deps.db, { firstName: 'Jonas', lastName: 'Lindqvist' });
    const { code } = await createRegistrationCode(ctx.deps.db, person.id, { code: 'ABCD-2026-REG1' });
    const email = 'jonas.l@example.org';

    // Codes are typed from paper: case, spaces and dashes do not matter.
    const res = await register({
      code: 'abcd 2026 reg1',
      email: 'Jonas.L@Example.org',
      password: strongPassword,
      ...consents,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ status: 'verification_sent' });

    // Not verified yet: the right password gets 403 email_not_verified.
    const early = await call(app, '/api/auth/login', { json: { login: email, password: strongPassword } });
    expect(early.status).toBe(403);
    expect(await early.json()).toMatchObject({ error: { code: 'email_not_verified' } });

    const mail = await readLatestMail(ctx, email, { path: '/verify' });
    expect(mail.link).toMatch(/^http:\/\/portier\.test\/verify\?token=[a-z2-9]{24}\.[a-z2-9]{24}$/);
    expect(mail.subject).toBe('Bitte bestätigen Sie Ihre E-Mail-Adresse');
    expect(mail.text).toContain('Guten Tag Jonas Lindqvist,');
    expect(mail.text).toContain('<a href="http://portier.test/verify?token=');

    const verified = await call(app, '/api/auth/verify', { json: { token: mail.token } });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ status: 'verified' });

    const again = await call(app, '/api/auth/verify', { json: { token: mail.token } });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: { code: 'invalid_token' } });

    await loginAs(app, email, strongPassword);

    const user = (await findUserByPersonId(ctx.deps.db, person.id))!;
    expect(user).toMatchObject({ loginEmail: email, role: 'customer', language: 'de' });
    expect(user.emailVerifiedAt).toBeInstanceOf(Date);
    const kinds = (await listConsentsOfUser(ctx.deps.db, user.id)).map((c) => [c.kind, c.version]);
    expect(kinds.sort()).toEqual([
      ['electronic_delivery', '2026-01'],
      ['privacy', '2026-01'],
      ['terms', '2026-01'],
    ]);
    expect(
      (await findRegistrationCodeByHash(ctx.deps.db, hashRegistrationCode(code)))!.usedAt,
    ).toBeInstanceOf(Date);
    const actions = (await listAuditEntriesFor(ctx.deps.db, 'user', user.id)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['account.registered', 'account.email_verified']));
  });

  it('stores only the SHA-256 of the token secret and sends the mail in the chosen language', async () => {
    const person = await createPerson(ctx.deps.db, { firstName: 'Sara', lastName: 'Ek', language: 'de' });
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    const email = 'sara.ek@example.se';
    expect(
      (await register({ code, email, password: strongPassword, ...consents, language: 'sv' })).status,
    ).toBe(201);
    const mail = await readLatestMail(ctx, email, { path: '/verify' });
    expect(mail.subject).toBe('Bekräfta din e-postadress');
    expect(mail.text).toContain('Hej Sara Ek,');
    const [id, secret] = mail.token!.split('.');
    const { authTokens } = testTables;
    const [row] = await ctx.deps.db.select().from(authTokens).where(eq(authTokens.id, id!));
    expect(row!.purpose).toBe('verify_email');
    expect(row!.secretHash.length).toBe(32);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it('answers unknown, revoked and expired codes with 400 invalid_code', async () => {
    const person = await createPerson(ctx.deps.db);
    const revoked = await createRegistrationCode(ctx.deps.db, person.id, { revokedAt: new Date() });
    const expired = await createRegistrationCode(ctx.deps.db, person.id, {
      expiresAt: new Date(Date.now() - 1000),
    });
    for (const code of ['NOPE-0000-0000', revoked.code, expired.code]) {
      const res = await register({ code, email: 'x@example.org', password: strongPassword, ...consents });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_code' } });
    }
  });

  it('answers a code that was used for a verified login with 409 code_used', async () => {
    const { person } = await createUser(ctx.deps.db);
    const { code } = await createRegistrationCode(ctx.deps.db, person.id, { usedAt: new Date() });
    const res = await register({
      code,
      email: 'someone.new@example.org',
      password: strongPassword,
      ...consents,
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'code_used' } });
  });

  it('answers a fresh code for a person who already has a login with 409 already_registered', async () => {
    const { person } = await createUser(ctx.deps.db);
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    const res = await register({ code, email: 'another@example.org', password: strongPassword, ...consents });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'already_registered' } });
  });

  it('answers an address that already is a login with 409 email_taken', async () => {
    const { email } = await createUser(ctx.deps.db);
    const person = await createPerson(ctx.deps.db);
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    const res = await register({ code, email: email.toUpperCase(), password: strongPassword, ...consents });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('checks the password policy, with the person’s name and the address as personal data', async () => {
    const person = await createPerson(ctx.deps.db, { firstName: 'Kerstin', lastName: 'Wallander' });
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    const cases: [string, string][] = [
      ['short-1', 'password_too_short'],
      ['password1234', 'password_common'],
      ['Wallander-im-Garten-7', 'password_personal'],
      ['Mein-Haus-kwall-Blau', 'password_personal'], // e-mail local part "kwall"
    ];
    for (const [password, violation] of cases) {
      const res = await register({ code, email: 'kwall@example.org', password, ...consents });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'validation_failed', fields: { password: violation } },
      });
    }
    // Nothing was created or used up by the refused attempts.
    expect(await findUserByPersonId(ctx.deps.db, person.id)).toBeUndefined();
    expect((await findRegistrationCodeByHash(ctx.deps.db, hashRegistrationCode(code)))!.usedAt).toBeNull();
  });

  it('requires privacy notice and terms (seed 002) and an answer on electronic delivery', async () => {
    const person = await createPerson(ctx.deps.db);
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    for (const [missing, value] of [
      ['acceptPrivacy', false],
      ['acceptTerms', false],
      ['acceptElectronicDelivery', undefined],
      ['acceptElectronicDelivery', 'yes'],
    ] as const) {
      const res = await register({
        code,
        email: 'c@example.org',
        password: strongPassword,
        ...consents,
        [missing]: value,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'validation_failed', fields: { [missing]: anyString } },
      });
    }
    expect(await findUserByPersonId(ctx.deps.db, person.id)).toBeUndefined();
  });

  it('registers a tenant who keeps paper: no electronic-delivery consent, the channel recorded as paper', async () => {
    const person = await createPerson(ctx.deps.db, { firstName: 'Paula', lastName: 'Papier' });
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    const email = 'paula.papier@example.org';
    const res = await register({
      code,
      email,
      password: strongPassword,
      ...consents,
      acceptElectronicDelivery: false,
    });
    expect(res.status).toBe(201);
    const user = (await findUserByPersonId(ctx.deps.db, person.id))!;
    expect((await listConsentsOfUser(ctx.deps.db, user.id)).map((c) => c.kind).sort()).toEqual([
      'privacy',
      'terms',
    ]);
    const registered = (await listAuditEntriesFor(ctx.deps.db, 'user', user.id)).find(
      (entry) => entry.action === 'account.registered',
    );
    expect(registered?.data).toMatchObject({ documentDelivery: 'paper' });
  });

  /** Issue 13 finding 7: whoever else holds the letter must not take over a registration in flight. */
  it('refuses a second registration with the code while the first awaits verification (409 registration_pending)', async () => {
    const person = await createPerson(ctx.deps.db, { firstName: 'Erste', lastName: 'Anmeldung' });
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    const first = { code, email: 'first.owner@example.org', password: strongPassword, ...consents };
    expect((await register(first)).status).toBe(201);
    const link = await readLatestMail(ctx, 'first.owner@example.org', { path: '/verify' });

    const takeover = await register({
      code,
      email: 'letter.thief@example.org',
      password: 'Another-Strong-Pass-99',
      ...consents,
    });
    expect(takeover.status).toBe(409);
    const body = (await takeover.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('registration_pending');
    // The answer names neither the pending address nor anything else about the first registrant.
    expect(JSON.stringify(body)).not.toContain('first.owner');

    // Nothing changed: no mail to the second address, the first login and its link still hold.
    await drainOutbox(ctx.deps);
    expect(listMails(ctx.dataDir, 'letter.thief@example.org')).toEqual([]);
    const user = (await findUserByPersonId(ctx.deps.db, person.id))!;
    expect(user.loginEmail).toBe('first.owner@example.org');
    expect(await findAccountByLoginEmail(ctx.deps.db, 'letter.thief@example.org')).toBeUndefined();
    expect((await call(app, '/api/auth/verify', { json: { token: link.token } })).status).toBe(200);
    await loginAs(app, 'first.owner@example.org', strongPassword);
    const stolen = await call(app, '/api/auth/login', {
      json: { login: 'first.owner@example.org', password: 'Another-Strong-Pass-99' },
    });
    expect(stolen.status).toBe(401);
    expect((await listAuditEntriesFor(ctx.deps.db, 'user', user.id)).map((e) => e.action)).toContain(
      'account.registration_pending_refused',
    );
  });

  it('two registrations racing with one code: one wins, the other gets 409 registration_pending', async () => {
    const person = await createPerson(ctx.deps.db);
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    const answers = await Promise.all(
      ['racer.one@example.org', 'racer.two@example.org'].map((email) =>
        register({ code, email, password: strongPassword, ...consents }),
      ),
    );
    const statuses = answers.map((res) => res.status).sort();
    expect(statuses).toEqual([201, 409]);
    const loser = answers.find((res) => res.status === 409)!;
    expect(await loser.json()).toMatchObject({ error: { code: 'registration_pending' } });
    const winner = answers[0]!.status === 201 ? 'racer.one@example.org' : 'racer.two@example.org';
    expect((await findUserByPersonId(ctx.deps.db, person.id))!.loginEmail).toBe(winner);
  });

  it('a mistyped address recovers: once the verification link expired, the code registers anew', async () => {
    const person = await createPerson(ctx.deps.db, { firstName: 'Tippfehler', lastName: 'Test' });
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    expect(
      (await register({ code, email: 'typo@exmaple.org', password: strongPassword, ...consents })).status,
    ).toBe(201);
    const first = await readLatestMail(ctx, 'typo@exmaple.org', { path: '/verify' });

    // Just before the 24-hour link expires the registration is still in flight.
    const registeredAt = Date.now();
    ctx.deps.now = () => new Date(registeredAt + 24 * 60 * 60 * 1000 - 60_000);
    const early = await register({ code, email: 'typo@example.org', password: strongPassword, ...consents });
    expect(early.status).toBe(409);
    expect(await early.json()).toMatchObject({ error: { code: 'registration_pending' } });

    ctx.deps.now = () => new Date(registeredAt + 24 * 60 * 60 * 1000 + 60_000);
    const second = await register({
      code,
      email: 'typo@example.org',
      password: 'Another-Strong-Pass-99',
      ...consents,
    });
    expect(second.status).toBe(201);
    const mail = await readLatestMail(ctx, 'typo@example.org', { path: '/verify' });

    expect((await call(app, '/api/auth/verify', { json: { token: first.token } })).status).toBe(400);
    expect((await call(app, '/api/auth/verify', { json: { token: mail.token } })).status).toBe(200);
    await loginAs(app, 'typo@example.org', 'Another-Strong-Pass-99');
    expect(await findAccountByLoginEmail(ctx.deps.db, 'typo@exmaple.org')).toBeUndefined();
    const user = (await findUserByPersonId(ctx.deps.db, person.id))!;
    expect(await listConsentsOfUser(ctx.deps.db, user.id)).toHaveLength(3);

    // Verified now: the code is spent for good.
    const third = await register({ code, email: 'typo2@example.org', password: strongPassword, ...consents });
    expect(third.status).toBe(409);
    expect(await third.json()).toMatchObject({ error: { code: 'code_used' } });
  });

  it('expires the verification link after 24 hours', async () => {
    const person = await createPerson(ctx.deps.db);
    const { code } = await createRegistrationCode(ctx.deps.db, person.id);
    const email = 'late@example.org';
    expect((await register({ code, email, password: strongPassword, ...consents })).status).toBe(201);
    const mail = await readLatestMail(ctx, email, { path: '/verify' });
    ctx.deps.now = () => new Date(Date.now() + 24 * 60 * 60 * 1000 + 1000);
    const res = await call(app, '/api/auth/verify', { json: { token: mail.token } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_token' } });
  });

  it('answers malformed and unknown tokens with 400 invalid_token or validation_failed, never 500', async () => {
    const cases: [unknown, number, string][] = [
      [{ token: 'abcdefghijkmnpqrstuvwxyz.abcdefghijkmnpqrstuvwxyz' }, 400, 'invalid_token'],
      [{ token: 'not-a-token-at-all' }, 400, 'invalid_token'],
      [{ token: 'x' }, 400, 'validation_failed'],
      [{ token: 12345 }, 400, 'validation_failed'],
      [{}, 400, 'validation_failed'],
      [{ token: 'abcdefghijkmnpqrstuvwxyz.abcdefghijkmnpqrstuvwxyz', extra: 1 }, 400, 'validation_failed'],
    ];
    for (const [json, status, code] of cases) {
      const res = await call(app, '/api/auth/verify', { json, ip: '192.0.2.77' });
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ error: { code } });
    }
  });

  it('throttles code guessing per address', async () => {
    const ip = '192.0.2.99';
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      last = await register(
        { code: `GUESS-${i}-XXXX`, email: 'g@example.org', password: strongPassword, ...consents },
        ip,
      );
    }
    expect(last!.status).toBe(400);
    const blocked = await register(
      { code: 'GUESS-LAST', email: 'g@example.org', password: strongPassword, ...consents },
      ip,
    );
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    await drainOutbox(ctx.deps);
    expect(listMails(ctx.dataDir, 'g@example.org')).toEqual([]);
  });
});
