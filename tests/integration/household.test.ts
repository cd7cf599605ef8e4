import { join } from 'node:path';
import { count, eq, type SQL } from 'drizzle-orm';
import { accessChangeOf } from '../../server/realtime/rooms.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { forgetRateLimits } from '../helpers/rate-limit-reset.ts';
import { testTables } from '../helpers/tables.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { call, listMails, loginAs, parseMail, readLatestMail } from '../helpers/auth.ts';
import { strongPassword } from '../helpers/fixtures.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { findContractByNumber, listPartiesOfContract } from '../../db/repositories/contracts.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { createApp, type App } from '../../server/app.ts';
import { householdInvitationsPerDay } from '../../server/auth/rate-limits.ts';
import { sweepExpired } from '../../server/services/housekeeping.ts';
import {
  householdInvitationRequest,
  type HouseholdInvitationResponse,
  type HouseholdMemberResponse,
  type HouseholdResponse,
} from '../../shared/api/household.ts';
import type { DocumentListResponse } from '../../shared/api/documents.ts';

let ctx: TestWorld;
let app: App;
let erika: string;
let contractId: string;

beforeAll(async () => {
  ctx = await createTestWorld();
  await seedDemo(ctx.deps);
  app = createApp(ctx.deps);
  erika = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
  contractId = (await findContractByNumber(ctx.deps.db, DEMO_CONTRACT_NUMBERS.tenant))!.id;
});
afterAll(() => ctx.close());

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const householdUrl = () => `/api/contracts/${contractId}/household`;
const invitation = (email: string) => ({ firstName: 'Lena', lastName: 'Mustermann', email, access: 'full' });
const { contractParties, persons, registrationCodes } = testTables;
const countRows = async (
  table: typeof persons | typeof registrationCodes | typeof contractParties,
  where?: SQL,
) => (await ctx.deps.db.select({ n: count() }).from(table).where(where))[0]!.n;

/** Each test starts with a fresh daily allowance; the throttle itself is tested at the end. */
beforeEach(() => forgetRateLimits(ctx.deps, 'household_invite'));

async function invite(email: string, cookie = erika, url = householdUrl()) {
  return call(app, `${url}/invitations`, { cookie, json: invitation(email) });
}

/** The registration code from the newest invitation mail to `email`, or undefined when none has one. */
async function mailedCode(email: string): Promise<string | undefined> {
  await drainOutbox(ctx.deps);
  const files = listMails(ctx.dataDir, email);
  const mail = parseMail(join(ctx.dataDir, 'mail', files.at(-1)!));
  return /\/register\?code=([A-Z0-9-]+)/.exec(mail.text)?.[1];
}

const registerWith = (code: string, email: string) =>
  call(app, '/api/auth/register', {
    json: {
      code,
      email,
      password: strongPassword,
      acceptPrivacy: true,
      acceptTerms: true,
      acceptElectronicDelivery: true,
    },
  });

async function household(cookie = erika): Promise<HouseholdResponse> {
  return (await (await call(app, householdUrl(), { cookie })).json()) as HouseholdResponse;
}

describe('GET /api/contracts/:id/household', () => {
  it('lists Erika (main tenant) and Jonas (read) for anyone on the contract', async () => {
    const res = await call(app, householdUrl(), { cookie: erika });
    expect(res.status).toBe(200);
    const { members } = (await res.json()) as HouseholdResponse;
    const me = members.find((m) => m.isMe)!;
    expect(me).toMatchObject({ role: 'main_tenant', access: 'full', hasLogin: true });
    expect(members.find((m) => m.name.startsWith('Jonas'))).toMatchObject({
      role: 'household_member',
      access: 'read',
      hasLogin: true,
      isMe: false,
    });
    const jonas = await loginAs(app, DEMO_LOGINS.householdMember, DEMO_PASSWORD);
    expect((await call(app, householdUrl(), { cookie: jonas })).status).toBe(200);
  });

  it("answers 404 to the neighbour for Erika's household, like a missing contract", async () => {
    const neighbour = await loginAs(app, DEMO_LOGINS.neighbour, DEMO_PASSWORD);
    for (const url of [householdUrl(), '/api/contracts/nope/household']) {
      const res = await call(app, url, { cookie: neighbour });
      expect(res.status).toBe(404);
      expect(await errorOf(res)).toBe('not_found');
    }
    const invite = await call(app, `${householdUrl()}/invitations`, {
      cookie: neighbour,
      json: invitation('x@example.org'),
    });
    expect(invite.status).toBe(404);
  });
});

describe('household invitations', () => {
  it('the read member cannot invite or change access (403 not_main_tenant)', async () => {
    const jonas = await loginAs(app, DEMO_LOGINS.householdMember, DEMO_PASSWORD);
    const invite = await call(app, `${householdUrl()}/invitations`, {
      cookie: jonas,
      json: invitation('y@example.org'),
    });
    expect(invite.status).toBe(403);
    expect(await errorOf(invite)).toBe('not_main_tenant');
    const erikaPerson = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.tenant))!.person.id;
    const patch = await call(app, `${householdUrl()}/${erikaPerson}`, {
      method: 'PATCH',
      cookie: jonas,
      json: { access: 'read' },
    });
    expect(patch.status).toBe(403);
    expect(await errorOf(patch)).toBe('not_main_tenant');
  });

  it('Erika invites; nobody joins until the mailed code registers a login that then sees the contract', async () => {
    const email = 'lena@example.org';
    const res = await invite(email);
    expect(res.status).toBe(201);
    const { invitation: pending } = (await res.json()) as HouseholdInvitationResponse;
    expect(pending).toMatchObject({ name: 'Lena Mustermann', email, access: 'full' });
    expect(new Date(pending.expiresAt).getTime() - Date.now()).toBeGreaterThan(13 * 86_400_000);
    // Only an invitation so far: no household member, no contract party.
    const before = await household();
    expect(before.members.map((m) => m.name)).not.toContain('Lena Mustermann');
    expect(before.invitations.map((i) => i.id)).toContain(pending.id);
    expect(await listPartiesOfContract(ctx.deps.db, contractId)).toHaveLength(before.members.length);

    await drainOutbox(ctx.deps);
    const [file] = listMails(ctx.dataDir, email);
    const mail = parseMail(join(ctx.dataDir, 'mail', file!));
    expect(mail.subject).toContain('Erika');
    const code = await mailedCode(email);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(mail.text).toContain(code!);

    const register = await registerWith(code!.toLowerCase(), email);
    expect(register.status).toBe(201);
    const verification = await readLatestMail(ctx, email, { path: '/verify' });
    expect((await call(app, '/api/auth/verify', { json: { token: verification.token } })).status).toBe(200);
    const lena = await loginAs(app, email, strongPassword);

    const after = await household(lena);
    expect(after.members.find((m) => m.isMe)).toMatchObject({
      name: 'Lena Mustermann',
      role: 'household_member',
      access: 'full',
      hasLogin: true,
    });
    // Only the main tenant sees invitations; Erika's list no longer has the accepted one.
    expect(after.invitations).toEqual([]);
    expect((await household()).invitations.map((i) => i.id)).not.toContain(pending.id);
    const docs = (await (
      await call(app, '/api/documents?type=contract', { cookie: lena })
    ).json()) as DocumentListResponse;
    expect(docs.documents.length).toBeGreaterThan(0);
  });

  it('Erika switches a member between full and read, but not herself', async () => {
    const parties = await listPartiesOfContract(ctx.deps.db, contractId);
    const jonasId = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.householdMember))!.person.id;
    const res = await call(app, `${householdUrl()}/${jonasId}`, {
      method: 'PATCH',
      cookie: erika,
      json: { access: 'full' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as HouseholdMemberResponse).member.access).toBe('full');
    expect(
      (await listPartiesOfContract(ctx.deps.db, contractId)).find((p) => p.personId === jonasId)?.access,
    ).toBe('full');
    await call(app, `${householdUrl()}/${jonasId}`, {
      method: 'PATCH',
      cookie: erika,
      json: { access: 'read' },
    });

    const erikaId = parties.find((p) => p.role === 'main_tenant')!.personId;
    const self = await call(app, `${householdUrl()}/${erikaId}`, {
      method: 'PATCH',
      cookie: erika,
      json: { access: 'read' },
    });
    expect(self.status).toBe(403);
    const stranger = await call(app, `${householdUrl()}/someone-else`, {
      method: 'PATCH',
      cookie: erika,
      json: { access: 'read' },
    });
    expect(stranger.status).toBe(404);
    const bad = await call(app, `${householdUrl()}/${jonasId}`, {
      method: 'PATCH',
      cookie: erika,
      json: { access: 'admin' },
    });
    expect(bad.status).toBe(400);
  });

  it('answers an address that already has a login exactly like a fresh one, and mails that account no code', async () => {
    const taken = await invite(DEMO_LOGINS.neighbour);
    const fresh = await invite('fresh-invitee@example.org');
    expect(taken.status).toBe(201);
    expect(fresh.status).toBe(201);
    const shape = (body: HouseholdInvitationResponse) => ({
      ...body.invitation,
      id: typeof body.invitation.id,
      email: '',
      createdAt: typeof body.invitation.createdAt,
      expiresAt: typeof body.invitation.expiresAt,
    });
    const takenBody = (await taken.json()) as HouseholdInvitationResponse;
    const freshBody = (await fresh.json()) as HouseholdInvitationResponse;
    expect(Object.keys(takenBody)).toEqual(Object.keys(freshBody));
    expect(shape(takenBody)).toEqual(shape(freshBody));
    expect(takenBody.invitation.email).toBe(DEMO_LOGINS.neighbour);
    // Both are pending for Erika alike; she cannot tell them apart either.
    const pending = (await household()).invitations.map((i) => i.id);
    expect(pending).toEqual(expect.arrayContaining([takenBody.invitation.id, freshBody.invitation.id]));
    // The existing account hears that it was invited, but gets no code for a second login.
    expect(await mailedCode(DEMO_LOGINS.neighbour)).toBeUndefined();
    expect(await mailedCode('fresh-invitee@example.org')).toBeDefined();
  });

  it('refuses bad input (400)', async () => {
    const bad = await call(app, `${householdUrl()}/invitations`, {
      cookie: erika,
      json: { ...invitation('no-at-sign'), access: 'x' },
    });
    expect(bad.status).toBe(400);
  });
});

describe('names in invitations are names', () => {
  const hostile = [
    'https://evil.example/login',
    'www.evil.example',
    'evil.example',
    'Lena\r\nBcc: victim@example.org',
    'Lena\nClick here',
    '12345',
    '<b>Lena</b>',
    'Lena\u0007',
    'Lena\u202Eevil',
    'Lena@example.org',
    'x'.repeat(101),
    '  ',
  ];
  const real = [
    'Lena',
    'José-María',
    "O'Brien",
    'Zoë',
    'J. R. R.',
    'Łukasz',
    '李',
    'Åsa Öberg',
    'Ngũgĩ',
    'Мария',
  ];

  it('the shared schema accepts real names of any script and refuses the rest', () => {
    const check = (firstName: string) =>
      householdInvitationRequest.safeParse({ ...invitation('a@example.org'), firstName }).success;
    for (const name of real) expect(check(name), name).toBe(true);
    for (const name of hostile) expect(check(name), JSON.stringify(name)).toBe(false);
  });

  it('the API answers 400 validation_failed at the field, and nothing is stored or mailed', async () => {
    const codesBefore = await countRows(registrationCodes);
    for (const [field, value] of [
      ['firstName', 'https://evil.example/login'],
      ['lastName', 'Mustermann\r\nBcc: victim@example.org'],
      ['firstName', 'www.evil.example'],
    ] as const) {
      const res = await call(app, `${householdUrl()}/invitations`, {
        cookie: erika,
        json: { ...invitation('victim@example.org'), [field]: value },
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.fields[field]).toBe('name_invalid');
    }
    expect(await countRows(registrationCodes)).toBe(codesBefore);
    await drainOutbox(ctx.deps);
    expect(listMails(ctx.dataDir, 'victim@example.org')).toEqual([]);
  });
});

describe('withdrawing an invitation', () => {
  it('the code stops working at once and the invitation is gone from the list', async () => {
    const email = 'withdrawn@example.org';
    const { invitation: pending } = (await (await invite(email)).json()) as HouseholdInvitationResponse;
    const code = await mailedCode(email);
    const url = `${householdUrl()}/invitations/${pending.id}`;

    const jonas = await loginAs(app, DEMO_LOGINS.householdMember, DEMO_PASSWORD);
    expect((await call(app, url, { method: 'DELETE', cookie: jonas })).status).toBe(403);
    const neighbour = await loginAs(app, DEMO_LOGINS.neighbour, DEMO_PASSWORD);
    expect((await call(app, url, { method: 'DELETE', cookie: neighbour })).status).toBe(404);

    expect((await call(app, url, { method: 'DELETE', cookie: erika })).status).toBe(204);
    expect((await household()).invitations.map((i) => i.id)).not.toContain(pending.id);
    const register = await registerWith(code!, email);
    expect(register.status).toBe(400);
    expect(await errorOf(register)).toBe('invalid_code');
    expect((await call(app, url, { method: 'DELETE', cookie: erika })).status).toBe(404);
  });

  it("someone else's invitation id answers 404 and stays valid", async () => {
    const neighbour = await loginAs(app, DEMO_LOGINS.neighbour, DEMO_PASSWORD);
    const theirContract = (await findContractByNumber(ctx.deps.db, DEMO_CONTRACT_NUMBERS.neighbour))!.id;
    const res = await invite(
      'neighbours-guest@example.org',
      neighbour,
      `/api/contracts/${theirContract}/household`,
    );
    expect(res.status).toBe(201);
    const { invitation: theirs } = (await res.json()) as HouseholdInvitationResponse;
    const url = `${householdUrl()}/invitations/${theirs.id}`;
    expect((await call(app, url, { method: 'DELETE', cookie: erika })).status).toBe(404);
    const still = await call(app, `/api/contracts/${theirContract}/household`, { cookie: neighbour });
    expect(((await still.json()) as HouseholdResponse).invitations.map((i) => i.id)).toContain(theirs.id);
  });
});

describe('removing a member', () => {
  it('ends the member’s access at once, keeps the history and tells the live layer', async () => {
    const email = 'leaving@example.org';
    await invite(email);
    const code = await mailedCode(email);
    expect((await registerWith(code!, email)).status).toBe(201);
    const verification = await readLatestMail(ctx, email, { path: '/verify' });
    await call(app, '/api/auth/verify', { json: { token: verification.token } });
    const leaving = await loginAs(app, email, strongPassword);
    const account = (await findAccountByLoginEmail(ctx.deps.db, email))!;
    expect((await call(app, householdUrl(), { cookie: leaving })).status).toBe(200);

    const changed: string[][] = [];
    const off = ctx.deps.bus.on('log.committed', ({ events }) => {
      for (const event of events) {
        const userIds = accessChangeOf(event);
        if (userIds) changed.push(userIds);
      }
    });
    const url = `${householdUrl()}/${account.person.id}`;
    const jonas = await loginAs(app, DEMO_LOGINS.householdMember, DEMO_PASSWORD);
    expect((await call(app, url, { method: 'DELETE', cookie: jonas })).status).toBe(403);
    const res = await call(app, url, { method: 'DELETE', cookie: erika });
    off();
    expect(res.status).toBe(204);
    expect(changed).toEqual([[account.user.id]]);

    // The open session has lost the contract; the party row is end-dated, not deleted.
    expect((await call(app, householdUrl(), { cookie: leaving })).status).toBe(404);
    expect((await household()).members.map((m) => m.personId)).not.toContain(account.person.id);
    const party = (await listPartiesOfContract(ctx.deps.db, contractId)).find(
      (p) => p.personId === account.person.id,
    );
    expect(party?.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await call(app, url, { method: 'DELETE', cookie: erika })).status).toBe(404);
  });

  it('refuses to remove the main tenant or oneself, and unknown people are 404', async () => {
    const erikaId = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.tenant))!.person.id;
    const self = await call(app, `${householdUrl()}/${erikaId}`, { method: 'DELETE', cookie: erika });
    expect(self.status).toBe(403);
    expect(await errorOf(self)).toBe('cannot_remove_member');
    const neighbourId = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.neighbour))!.person.id;
    for (const id of [neighbourId, 'nobody']) {
      const res = await call(app, `${householdUrl()}/${id}`, { method: 'DELETE', cookie: erika });
      expect(res.status).toBe(404);
    }
  });
});

/** A new member invited by Erika who registered and confirmed: their person id and a session. */
async function registeredMember(email: string): Promise<{ personId: string; cookie: string }> {
  await invite(email);
  const code = await mailedCode(email);
  expect((await registerWith(code!, email)).status).toBe(201);
  const verification = await readLatestMail(ctx, email, { path: '/verify' });
  await call(app, '/api/auth/verify', { json: { token: verification.token } });
  const cookie = await loginAs(app, email, strongPassword);
  return { personId: (await findAccountByLoginEmail(ctx.deps.db, email))!.person.id, cookie };
}

describe('removal with the landlord’s approval', () => {
  const settingsUrl = '/api/staff/admin/household';
  const approveUrl = (personId: string) => `/api/staff/contracts/${contractId}/household/${personId}`;

  it('only admins change the rule', async () => {
    const staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
    for (const cookie of [erika, staff]) {
      const res = await call(app, settingsUrl, {
        method: 'PUT',
        cookie,
        json: { removalNeedsApproval: true },
      });
      expect(res.status).toBe(403);
    }
    const admin = await loginAs(app, DEMO_LOGINS.admin, DEMO_PASSWORD);
    const bad = await call(app, settingsUrl, {
      method: 'PUT',
      cookie: admin,
      json: { removalNeedsApproval: 'yes' },
    });
    expect(bad.status).toBe(400);
    expect(await (await call(app, settingsUrl, { cookie: admin })).json()).toEqual({
      settings: { removalNeedsApproval: false },
    });
  });

  it('turns the main tenant’s removal into a request that staff in scope approve', async () => {
    const admin = await loginAs(app, DEMO_LOGINS.admin, DEMO_PASSWORD);
    const set = (removalNeedsApproval: boolean) =>
      call(app, settingsUrl, { method: 'PUT', cookie: admin, json: { removalNeedsApproval } });
    expect((await set(true)).status).toBe(200);
    try {
      const { personId, cookie: member } = await registeredMember('approval@example.org');
      expect((await household()).removalNeedsApproval).toBe(true);

      const asked = await call(app, `${householdUrl()}/${personId}`, { method: 'DELETE', cookie: erika });
      expect(asked.status).toBe(202);
      const { removed, request } = (await asked.json()) as {
        removed: boolean;
        request: { id: string; number: string };
      };
      expect(removed).toBe(false);
      // The member keeps access until staff approve; the request is Erika's contract change.
      expect((await call(app, householdUrl(), { cookie: member })).status).toBe(200);
      expect((await household()).members.map((m) => m.personId)).toContain(personId);
      const ticket = (await (await call(app, `/api/tickets/${request.id}`, { cookie: erika })).json()) as {
        ticket: { number: string; type: string; fields: Record<string, unknown>; contractId: string };
      };
      expect(ticket.ticket).toMatchObject({
        number: request.number,
        type: 'contract_change',
        contractId,
        fields: { contract_change_kind: 'remove_person', person_name: 'Lena Mustermann' },
      });
      // Asking again answers with the same request.
      const again = await call(app, `${householdUrl()}/${personId}`, { method: 'DELETE', cookie: erika });
      expect(((await again.json()) as { request: { id: string } }).request.id).toBe(request.id);

      // Staff outside the building's scope, tenants, someone else's or an unknown person: as if absent.
      const malmo = await loginAs(app, DEMO_LOGINS.staffMalmo, DEMO_PASSWORD);
      expect((await call(app, approveUrl(personId), { method: 'DELETE', cookie: malmo })).status).toBe(404);
      expect((await call(app, approveUrl(personId), { method: 'DELETE', cookie: erika })).status).toBe(403);
      const staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
      const neighbourId = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.neighbour))!.person.id;
      for (const id of [neighbourId, 'nobody'])
        expect((await call(app, approveUrl(id), { method: 'DELETE', cookie: staff })).status).toBe(404);
      const erikaId = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.tenant))!.person.id;
      expect((await call(app, approveUrl(erikaId), { method: 'DELETE', cookie: staff })).status).toBe(403);

      expect((await call(app, approveUrl(personId), { method: 'DELETE', cookie: staff })).status).toBe(204);
      expect((await call(app, householdUrl(), { cookie: member })).status).toBe(404);
      expect((await household()).members.map((m) => m.personId)).not.toContain(personId);
      expect((await call(app, approveUrl(personId), { method: 'DELETE', cookie: staff })).status).toBe(404);
    } finally {
      expect((await set(false)).status).toBe(200);
    }
  });
});

describe('a read-only member', () => {
  it('is told so by /me and by each request, and may not reply', async () => {
    const jonas = await loginAs(app, DEMO_LOGINS.householdMember, DEMO_PASSWORD);
    const me = async (cookie: string) =>
      ((await (await call(app, '/api/me', { cookie })).json()) as { user: { readOnly: boolean } }).user;
    expect((await me(jonas)).readOnly).toBe(true);
    expect((await me(erika)).readOnly).toBe(false);

    const { tickets } = (await (await call(app, '/api/tickets', { cookie: jonas })).json()) as {
      tickets: { id: string; contractId: string | null }[];
    };
    const shared = tickets.find((ticket) => ticket.contractId === contractId)!;
    expect(shared).toBeDefined();
    const detail = async (cookie: string) =>
      ((await (await call(app, `/api/tickets/${shared.id}`, { cookie })).json()) as { canWrite: boolean })
        .canWrite;
    expect(await detail(jonas)).toBe(false);
    expect(await detail(erika)).toBe(true);
    const reply = await call(app, `/api/tickets/${shared.id}/messages`, {
      cookie: jonas,
      json: { body: 'Hallo', clientId: 'read-only-reply-1' },
    });
    expect(reply.status).toBe(403);
  });
});

describe('expired invitations', () => {
  it('stop working, and housekeeping removes them and everything they created', async () => {
    const email = 'expiring@example.org';
    const { invitation: pending } = (await (await invite(email)).json()) as HouseholdInvitationResponse;
    const code = await mailedCode(email);
    const [{ personId }] = (await ctx.deps.db
      .select({ personId: registrationCodes.personId })
      .from(registrationCodes)
      .where(eq(registrationCodes.id, pending.id))) as [{ personId: string }];
    await ctx.deps.db
      .update(registrationCodes)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(registrationCodes.id, pending.id));

    expect((await household()).invitations.map((i) => i.id)).not.toContain(pending.id);
    const early = await registerWith(code!, email);
    expect(early.status).toBe(400);
    expect(await errorOf(early)).toBe('invalid_code');

    expect((await sweepExpired(ctx.deps)).invitations).toBeGreaterThanOrEqual(1);
    expect(await countRows(registrationCodes, eq(registrationCodes.id, pending.id))).toBe(0);
    expect(await countRows(persons, eq(persons.id, personId))).toBe(0);
    expect(await countRows(contractParties, eq(contractParties.personId, personId))).toBe(0);
    const late = await registerWith(code!, email);
    expect(late.status).toBe(400);
    expect(await errorOf(late)).toBe('invalid_code');
    // A registered member (Jonas) and open invitations are untouched.
    expect((await household()).members.some((m) => m.name.startsWith('Jonas'))).toBe(true);
  });
});

describe('throttle', () => {
  it(`allows ${householdInvitationsPerDay} invitations per contract and day, then 429 with Retry-After`, async () => {
    for (let i = 0; i < householdInvitationsPerDay; i++)
      expect((await invite(`throttle-${i}@example.org`)).status).toBe(201);
    const res = await invite('one-too-many@example.org');
    expect(res.status).toBe(429);
    expect(await errorOf(res)).toBe('too_many_requests');
    const retry = Number(res.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(86_400);
    // Refused invitations leave nothing; another contract has its own allowance.
    await drainOutbox(ctx.deps);
    expect(listMails(ctx.dataDir, 'one-too-many@example.org')).toEqual([]);
    const neighbour = await loginAs(app, DEMO_LOGINS.neighbour, DEMO_PASSWORD);
    const theirContract = (await findContractByNumber(ctx.deps.db, DEMO_CONTRACT_NUMBERS.neighbour))!.id;
    const other = await invite(
      'other-contract@example.org',
      neighbour,
      `/api/contracts/${theirContract}/household`,
    );
    expect(other.status).toBe(201);
  });
});
