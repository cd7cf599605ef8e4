import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, or } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { forgetRateLimits } from '../helpers/rate-limit-reset.ts';
import { testTables } from '../helpers/tables.ts';
import { call, loginAs, readLatestMail } from '../helpers/auth.ts';
import { strongPassword } from '../helpers/fixtures.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { listConsentsOfUser } from '../../db/repositories/consents.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { createApp, type App } from '../../server/app.ts';
import { signupCodeLifetimeMs } from '../../server/services/accounts/number-signup.ts';
import type {
  NumberSignupConfirmResponse,
  NumberSignupStartResponse,
} from '../../shared/api/number-signup.ts';

let ctx: TestWorld;
let app: App;

beforeAll(async () => {
  ctx = await createTestWorld();
  await seedDemo(ctx.deps);
  app = createApp(ctx.deps);
});
afterAll(() => ctx.close());

/** Every test starts with fresh counters; the throttle has its own test at the end. */
beforeEach(async () => {
  ctx.deps.now = () => new Date();
  await forgetRateLimits(ctx.deps);
});

const { persons, users } = testTables;
const personByName = async (name: string) => {
  const [person] = await ctx.deps.db
    .select()
    .from(persons)
    .where(or(eq(persons.organisationName, name), eq(persons.lastName, name)))
    .limit(1);
  return person!;
};
const setContact = async (
  personId: string,
  values: { email: string | null; phone: string | null; mobile: string | null },
) => {
  await ctx.deps.db.update(persons).set(values).where(eq(persons.id, personId));
};

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

const consents = { acceptPrivacy: true, acceptTerms: true, acceptElectronicDelivery: false } as const;
let ipCounter = 10;
const freshIp = () => `198.51.100.${ipCounter++}`;

function start(body: Record<string, unknown>, ip = '192.0.2.80') {
  return call(app, '/api/auth/register/by-number', {
    json: { password: strongPassword, ...consents, ...body },
    ip,
  });
}
const send = (signupId: string, channel: string, ip = '192.0.2.80') =>
  call(app, '/api/auth/register/by-number/send', { json: { signupId, channel }, ip });
const confirm = (signupId: string, code: string, ip = '192.0.2.80') =>
  call(app, '/api/auth/register/by-number/confirm', { json: { signupId, code }, ip });

const smsDir = () => join(ctx.dataDir, 'sms');
const smsFiles = (): string[] => {
  try {
    return readdirSync(smsDir());
  } catch {
    return [];
  }
};

/** The code from the SMS file written since `before` (the files in `$DATA_DIR/sms/` then). */
async function newSmsCode(before: string[]): Promise<{ to: string; code: string }> {
  await drainOutbox(ctx.deps);
  const added = smsFiles().filter((name) => !before.includes(name));
  expect(added).toHaveLength(1);
  const text = readFileSync(join(smsDir(), added[0]!), 'utf8');
  return { to: /^To: (.*)$/m.exec(text)![1]!, code: /\b(\d{6})\b/.exec(text)![1]! };
}

async function mailedCode(to: string): Promise<string> {
  const mail = await readLatestMail(ctx, to);
  return /\b(\d{6})\b/.exec(mail.text.split('\n\n').slice(1).join('\n'))![1]!;
}

describe('sign-up by organisation or customer number (seed 004)', () => {
  it('registers an organisation by e-mail code: masked contacts, code to the held address, signed in', async () => {
    const kvarnby = await personByName('Kvarnby Kaffe AB');
    const login = kvarnby.email!;
    const started = await start({ kind: 'organisation', number: kvarnby.organisationNumber!, email: login });
    expect(started.status).toBe(200);
    const body = (await started.json()) as NumberSignupStartResponse;
    // Only e-mail: the held phone is a Malmö landline, which takes no SMS.
    expect(body.channels).toEqual([{ id: 'email', kind: 'email', masked: 'e•••@k•••.example' }]);
    expect(JSON.stringify(body)).not.toContain(login);

    const sent = await send(body.signupId, 'email');
    expect(sent.status).toBe(202);
    const code = await mailedCode(login);

    const done = await confirm(body.signupId, code);
    expect(done.status).toBe(201);
    const result = (await done.json()) as NumberSignupConfirmResponse;
    expect(result).toMatchObject({ status: 'registered', user: { loginEmail: login } });
    expect(done.headers.getSetCookie().some((c) => c.startsWith('portier_session='))).toBe(true);

    const account = (await findAccountByLoginEmail(ctx.deps.db, login))!;
    expect(account.person.id).toBe(kvarnby.id);
    expect(account.user.emailVerifiedAt).toBeInstanceOf(Date);
    // Paper was chosen: no electronic-delivery consent.
    expect((await listConsentsOfUser(ctx.deps.db, account.user.id)).map((c) => c.kind).sort()).toEqual([
      'privacy',
      'terms',
    ]);
    await loginAs(app, login, strongPassword);

    // The code is single use, and the number now has a login: the uniform answer.
    expect(await errorOf(await confirm(body.signupId, code))).toBe('signup_not_found');
    const again = await start({
      kind: 'organisation',
      number: kvarnby.organisationNumber!,
      email: 'other@example.org',
    });
    expect(again.status).toBe(404);
    expect(await errorOf(again)).toBe('number_not_verifiable');
  });

  it('registers an organisation by SMS code; the login address is then confirmed by link', async () => {
    const lindgren = await personByName('Advokatfirman Lindgren HB');
    await setContact(lindgren.id, { email: null, phone: null, mobile: '+46 70 123 45 12' });
    const login = 'kontor@lindgren.example';
    const started = await start({
      kind: 'organisation',
      number: lindgren.organisationNumber!.replace('-', ' '),
      email: login,
    });
    const body = (await started.json()) as NumberSignupStartResponse;
    expect(body.channels).toEqual([{ id: 'sms', kind: 'sms', masked: '+46 •• ••• •• 12' }]);

    const before = smsFiles();
    expect((await send(body.signupId, 'sms')).status).toBe(202);
    const sms = await newSmsCode(before);
    expect(sms.to).toBe('+46 70 123 45 12');

    const done = await confirm(body.signupId, sms.code);
    expect(done.status).toBe(201);
    expect(await done.json()).toEqual({ status: 'verification_sent', email: login });
    const early = await call(app, '/api/auth/login', { json: { login, password: strongPassword } });
    expect(await errorOf(early)).toBe('email_not_verified');

    const mail = await readLatestMail(ctx, login, { path: '/verify' });
    expect((await call(app, '/api/auth/verify', { json: { token: mail.token } })).status).toBe(200);
    await loginAs(app, login, strongPassword);
  });

  it('registers a private tenant by customer number', async () => {
    const ingrid = await personByName('Lindberg');
    const started = await start({ kind: 'customer', number: ingrid.customerNumber!, email: ingrid.email! });
    const body = (await started.json()) as NumberSignupStartResponse;
    expect(body.channels.map((c) => c.kind)).toEqual(['email', 'sms']);
    await send(body.signupId, 'email');
    const done = await confirm(body.signupId, await mailedCode(ingrid.email!));
    expect(await done.json()).toMatchObject({ status: 'registered' });
  });

  it('refuses a wrong code, then a code past its lifetime', async () => {
    const fysio = await personByName('Nordisk Fysioterapi AB');
    const started = await start({
      kind: 'organisation',
      number: fysio.organisationNumber!,
      email: 'reception@fysio.example',
    });
    const { signupId } = (await started.json()) as NumberSignupStartResponse;
    expect(await errorOf(await confirm(signupId, '123456'))).toBe('code_not_sent');
    await send(signupId, 'email');
    const code = await mailedCode(fysio.email!);
    const wrong = code === '000000' ? '000001' : '000000';
    const refused = await confirm(signupId, wrong);
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toBe('invalid_code');

    const sentAt = Date.now();
    ctx.deps.now = () => new Date(sentAt + signupCodeLifetimeMs + 1000);
    const late = await confirm(signupId, code);
    expect(late.status).toBe(400);
    expect(await errorOf(late)).toBe('code_expired');
    expect(await findAccountByLoginEmail(ctx.deps.db, 'reception@fysio.example')).toBeUndefined();
  });

  it('answers an unknown number and a number with nothing on file alike', async () => {
    const fysio = await personByName('Nordisk Fysioterapi AB');
    await setContact(fysio.id, { email: null, phone: '+46 40 628 04 11', mobile: null });
    const unknown = await start({ kind: 'organisation', number: '556000-0000', email: 'a@example.org' });
    const nothing = await start({
      kind: 'organisation',
      number: fysio.organisationNumber!,
      email: 'b@example.org',
    });
    expect(unknown.status).toBe(404);
    expect(nothing.status).toBe(404);
    const a: unknown = await unknown.json();
    const b: unknown = await nothing.json();
    expect(a).toEqual(b);
    expect(a).toMatchObject({ error: { code: 'number_not_verifiable' } });
    // A customer number of an organisation's person is found by customer number only.
    const wrongKind = await start({
      kind: 'organisation',
      number: (await personByName('Lindberg')).customerNumber!,
      email: 'c@example.org',
    });
    expect(await wrongKind.json()).toEqual(a);
  });

  it("treats someone else's sign-up id and a forged one as not found, and codes do not cross sign-ups", async () => {
    const oresundLike = await personByName('Lindberg');
    await setContact(oresundLike.id, { email: 'ingrid2@example.org', phone: null, mobile: null });
    await ctx.deps.db.delete(users).where(eq(users.personId, oresundLike.id));
    const first = (await (
      await start({ kind: 'customer', number: oresundLike.customerNumber!, email: 'ingrid.a@example.org' })
    ).json()) as NumberSignupStartResponse;
    await send(first.signupId, 'email');
    const firstCode = await mailedCode('ingrid2@example.org');

    // A newer sign-up for the same person ends the older one.
    const second = (await (
      await start({ kind: 'customer', number: oresundLike.customerNumber!, email: 'ingrid.b@example.org' })
    ).json()) as NumberSignupStartResponse;
    expect(await errorOf(await confirm(first.signupId, firstCode))).toBe('signup_not_found');
    await send(second.signupId, 'email');
    const secondCode = await mailedCode('ingrid2@example.org');

    // The id half of one handle with the secret half of another.
    const [secondId] = second.signupId.split('.');
    const [, firstSecret] = first.signupId.split('.');
    const forged = await confirm(`${secondId}.${firstSecret}`, secondCode);
    expect(forged.status).toBe(404);
    expect(await errorOf(forged)).toBe('signup_not_found');
    expect(await errorOf(await send('garbage-handle-1234', 'email'))).toBe('signup_not_found');
    // A channel the landlord does not hold for this person.
    expect(await errorOf(await send(second.signupId, 'sms'))).toBe('channel_unavailable');
    if (firstCode !== secondCode)
      expect(await errorOf(await confirm(second.signupId, firstCode))).toBe('invalid_code');
    expect(await (await confirm(second.signupId, secondCode)).json()).toMatchObject({
      status: 'verification_sent',
      email: 'ingrid.b@example.org',
    });
  });

  it('throttles like the letter code: unknown numbers count as wrong guesses per address', async () => {
    const ip = freshIp();
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      last = await start(
        { kind: 'customer', number: `9900${String(i).padStart(4, '0')}`, email: 'x@example.org' },
        ip,
      );
      expect(last.status).toBe(404);
    }
    const blocked = await start({ kind: 'customer', number: '99009999', email: 'x@example.org' }, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    // The letter registration shares the counter.
    const letter = await call(app, '/api/auth/register', {
      json: { code: 'NOPE-NOPE-NOPE', email: 'x@example.org', password: strongPassword, ...consents },
      ip,
    });
    expect(letter.status).toBe(429);
    // Another address is not affected.
    expect(
      (await start({ kind: 'customer', number: '99009999', email: 'x@example.org' }, freshIp())).status,
    ).toBe(404);
  });

  it('keeps the demo logins working, Öresund Design AB included', async () => {
    await loginAs(app, DEMO_LOGINS.butik, DEMO_PASSWORD);
    const oresund = await personByName('Öresund Design AB');
    expect(oresund.organisationNumber).toMatch(/^\d{6}-\d{4}$/);
    expect(oresund.email).toBeTruthy();
  });
});
