import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../helpers/context.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { call, listMails, loginAs, parseMail, readLatestMail } from '../helpers/auth.ts';
import { strongPassword } from '../helpers/fixtures.ts';
import { seedDemo } from '../../db/seed/demo.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../db/seed/demo-constants.ts';
import { findContractByNumber, listPartiesOfContract } from '../../db/repositories/contracts.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { createApp, type App } from '../../server/app.ts';
import type {
  HouseholdInvitationResponse,
  HouseholdMemberResponse,
  HouseholdResponse,
} from '../../shared/api/household.ts';
import type { DocumentListResponse } from '../../shared/api/documents.ts';

let ctx: TestContext;
let app: App;
let erika: string;
let contractId: string;

beforeAll(async () => {
  ctx = createTestDeps();
  await seedDemo(ctx.deps);
  app = createApp(ctx.deps);
  erika = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
  contractId = findContractByNumber(ctx.deps.db, DEMO_CONTRACT_NUMBERS.tenant)!.id;
});
afterAll(() => ctx.close());

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const householdUrl = () => `/api/contracts/${contractId}/household`;
const invitation = (email: string) => ({ firstName: 'Lena', lastName: 'Mustermann', email, access: 'full' });

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
    const erikaPerson = findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.tenant)!.person.id;
    const patch = await call(app, `${householdUrl()}/${erikaPerson}`, {
      method: 'PATCH',
      cookie: jonas,
      json: { access: 'read' },
    });
    expect(patch.status).toBe(403);
    expect(await errorOf(patch)).toBe('not_main_tenant');
  });

  it('Erika invites; the mailed code registers a login that sees the contract', async () => {
    const email = 'lena@example.org';
    const res = await call(app, `${householdUrl()}/invitations`, { cookie: erika, json: invitation(email) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as HouseholdInvitationResponse;
    expect(body.member).toMatchObject({
      role: 'household_member',
      access: 'full',
      hasLogin: false,
      isMe: false,
    });
    expect(body.member.invitedAt).toBeDefined();
    expect(new Date(body.expiresAt).getTime() - Date.now()).toBeGreaterThan(13 * 86_400_000);

    await drainOutbox(ctx.deps);
    const [file] = listMails(ctx.dataDir, email);
    const mail = parseMail(join(ctx.dataDir, 'mail', file!));
    expect(mail.subject).toContain('Erika');
    const code = /\/register\?code=([A-Z0-9-]+)/.exec(mail.text)?.[1];
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(mail.text).toContain(code!);

    const register = await call(app, '/api/auth/register', {
      json: {
        code: code!.toLowerCase(),
        email,
        password: strongPassword,
        acceptPrivacy: true,
        acceptTerms: true,
        acceptElectronicDelivery: true,
      },
    });
    expect(register.status).toBe(201);
    const verification = await readLatestMail(ctx, email, { path: '/verify' });
    expect((await call(app, '/api/auth/verify', { json: { token: verification.token } })).status).toBe(200);
    const lena = await loginAs(app, email, strongPassword);

    const household = (await (await call(app, householdUrl(), { cookie: lena })).json()) as HouseholdResponse;
    expect(household.members.find((m) => m.isMe)).toMatchObject({
      personId: body.member.personId,
      hasLogin: true,
    });
    const docs = (await (
      await call(app, '/api/documents?type=contract', { cookie: lena })
    ).json()) as DocumentListResponse;
    expect(docs.documents.length).toBeGreaterThan(0);
  });

  it('Erika switches a member between full and read, but not herself', async () => {
    const parties = listPartiesOfContract(ctx.deps.db, contractId);
    const jonasId = findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.householdMember)!.person.id;
    const res = await call(app, `${householdUrl()}/${jonasId}`, {
      method: 'PATCH',
      cookie: erika,
      json: { access: 'full' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as HouseholdMemberResponse).member.access).toBe('full');
    expect(listPartiesOfContract(ctx.deps.db, contractId).find((p) => p.personId === jonasId)?.access).toBe(
      'full',
    );
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

  it('refuses an address that already has a login (409) and bad input (400)', async () => {
    const taken = await call(app, `${householdUrl()}/invitations`, {
      cookie: erika,
      json: invitation(DEMO_LOGINS.neighbour),
    });
    expect(taken.status).toBe(409);
    const bad = await call(app, `${householdUrl()}/invitations`, {
      cookie: erika,
      json: { ...invitation('no-at-sign'), access: 'x' },
    });
    expect(bad.status).toBe(400);
  });
});
