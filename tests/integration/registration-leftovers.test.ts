import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { forgetRateLimits } from '../helpers/rate-limit-reset.ts';
import { call, loginAs, sessionCookieName, testOrigin } from '../helpers/auth.ts';
import { minimalPdf } from '../fixtures/uploads/hostile.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { findContractByNumber } from '../../db/repositories/contracts.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { letterRequestsPerHour } from '../../server/auth/rate-limits.ts';
import { createApp, type App } from '../../server/app.ts';
import type { LetterRequestListResponse } from '../../shared/api/letter-requests.ts';
import type { HouseholdResponse } from '../../shared/api/household.ts';
import type { OwnershipOptionsResponse } from '../../shared/api/staff-documents.ts';

let ctx: TestWorld;
let app: App;
const session: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestWorld();
  await seedDemo(ctx.deps);
  app = createApp(ctx.deps);
  for (const who of ['tenant', 'staff', 'staffMalmo', 'admin', 'owner', 'neighbour'] as const)
    session[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
});
afterAll(() => ctx.close());
beforeEach(() => forgetRateLimits(ctx.deps));

const json = async <T>(res: Response) => (await res.json()) as T;
const errorOf = async (res: Response) => (await json<{ error: { code: string } }>(res)).error.code;

describe('the public "request a registration letter" form (seed 002)', () => {
  const ask = (body: Record<string, unknown>, ip = '192.0.2.90') =>
    call(app, '/api/registration-letter-requests', { json: body, ip });
  const openRequests = async (who = 'staff') =>
    (
      await json<LetterRequestListResponse>(
        await call(app, '/api/staff/letter-requests?status=open', { cookie: session[who] }),
      )
    ).requests;

  it('creates a task staff see beside the registration letters, and close', async () => {
    const res = await ask({
      name: 'Paula Neumann',
      address: 'Musterstraße 1, 10115 Berlin',
      unit: '2.03',
      customerNumber: '',
      email: 'Paula.Neumann@example.org',
      message: 'Mein Brief ist nicht angekommen.',
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'received' });

    const [request] = (await openRequests()).filter((r) => r.name === 'Paula Neumann');
    expect(request).toMatchObject({
      address: 'Musterstraße 1, 10115 Berlin',
      unit: '2.03',
      customerNumber: null,
      email: 'paula.neumann@example.org',
      status: 'open',
    });
    // Tenants do not see the staff's list; a closed request leaves it; an unknown id is 404.
    expect((await call(app, '/api/staff/letter-requests', { cookie: session.tenant })).status).toBe(403);
    const close = (id: string, who = 'staff') =>
      call(app, `/api/staff/letter-requests/${id}/done`, { method: 'POST', cookie: session[who] });
    expect((await close(request!.id, 'tenant')).status).toBe(403);
    expect((await close('no-such-request')).status).toBe(404);
    expect((await close(request!.id)).status).toBe(204);
    expect((await close(request!.id)).status).toBe(404);
    expect((await openRequests()).some((r) => r.id === request!.id)).toBe(false);
  });

  it('needs a name, an address and a way to reach the writer', async () => {
    const missingContact = await ask({ name: 'Paula Neumann', address: 'Musterstraße 1' });
    expect(missingContact.status).toBe(400);
    expect(await errorOf(missingContact)).toBe('validation_failed');
    expect((await ask({ name: 'P', address: 'Musterstraße 1', phone: '030 123' })).status).toBe(400);
    expect((await ask({ name: 'Paula', address: 'Musterstraße 1', phone: 'call me' })).status).toBe(400);
  });

  it('is throttled per client address', async () => {
    const body = { name: 'Flood Test', address: 'Somewhere 1', phone: '+49 30 123456' };
    for (let i = 0; i < letterRequestsPerHour; i++) expect((await ask(body, '192.0.2.91')).status).toBe(202);
    const blocked = await ask(body, '192.0.2.91');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await ask(body, '192.0.2.92')).status).toBe(202);
  });
});

describe('household leftovers', () => {
  const settingsUrl = '/api/staff/admin/household';

  it('round-trips the approval setting', async () => {
    const put = (value: boolean) =>
      call(app, settingsUrl, { method: 'PUT', cookie: session.admin, json: { removalNeedsApproval: value } });
    expect(await json(await put(true))).toEqual({ settings: { removalNeedsApproval: true } });
    expect(await json(await call(app, settingsUrl, { cookie: session.admin }))).toEqual({
      settings: { removalNeedsApproval: true },
    });
    expect(await json(await put(false))).toEqual({ settings: { removalNeedsApproval: false } });
    expect(await json(await call(app, settingsUrl, { cookie: session.admin }))).toEqual({
      settings: { removalNeedsApproval: false },
    });
  });

  it('shows a removal awaiting approval as requested, to the main tenant and the member', async () => {
    const contractId = (await findContractByNumber(ctx.deps.db, DEMO_CONTRACT_NUMBERS.tenant))!.id;
    const url = `/api/contracts/${contractId}/household`;
    const jonas = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.householdMember))!;
    const household = async (cookie: string) => json<HouseholdResponse>(await call(app, url, { cookie }));
    expect((await household(session.tenant!)).members.every((m) => !m.removalRequested)).toBe(true);

    await call(app, settingsUrl, {
      method: 'PUT',
      cookie: session.admin,
      json: { removalNeedsApproval: true },
    });
    try {
      const asked = await call(app, `${url}/${jonas.person.id}`, {
        method: 'DELETE',
        cookie: session.tenant,
      });
      expect(asked.status).toBe(202);
      const { request } = await json<{ request: { id: string } }>(asked);
      const jonasCookie = await loginAs(app, DEMO_LOGINS.householdMember, DEMO_PASSWORD);
      for (const cookie of [session.tenant!, jonasCookie]) {
        const members = (await household(cookie)).members;
        expect(members.find((m) => m.personId === jonas.person.id)?.removalRequested).toBe(true);
        expect(members.filter((m) => m.personId !== jonas.person.id).every((m) => !m.removalRequested)).toBe(
          true,
        );
      }
      // Staff decline (close the request): no longer pending, Jonas stays.
      const closed = await call(app, `/api/staff/tickets/${request.id}`, {
        method: 'PATCH',
        cookie: session.staff,
        json: { status: 'closed' },
      });
      expect(closed.status).toBe(200);
      const after = (await household(session.tenant!)).members.find((m) => m.personId === jonas.person.id);
      expect(after?.removalRequested).toBe(false);
    } finally {
      await call(app, settingsUrl, {
        method: 'PUT',
        cookie: session.admin,
        json: { removalNeedsApproval: false },
      });
    }
  });
});

describe('filing a document to one ownership (seed 003)', () => {
  let pdfSeq = 0;
  async function upload(who: string): Promise<string> {
    const content = Buffer.concat([minimalPdf(), Buffer.from(`%own${++pdfSeq}\n`)]);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), 'abrechnung.pdf');
    const res = await app.request('/api/uploads', {
      method: 'POST',
      body: form,
      headers: { origin: testOrigin, cookie: `${sessionCookieName}=${session[who]}` },
    });
    expect(res.status).toBe(201);
    return (await json<{ attachment: { id: string } }>(res)).attachment.id;
  }
  const titlesOf = async (who: string) =>
    (
      await json<{ documents: { title: string }[] }>(
        await call(app, '/api/documents', { cookie: session[who] }),
      )
    ).documents.map((d) => d.title);

  it('offers the ownerships in scope and files to one: its owner sees it, another owner does not', async () => {
    const { ownerships } = await json<OwnershipOptionsResponse>(
      await call(app, '/api/staff/documents/ownerships', { cookie: session.staff }),
    );
    const olafs = ownerships.filter((o) => o.ownerName === 'Olaf Eigner');
    expect(olafs.length).toBeGreaterThan(0);
    expect(ownerships.some((o) => o.ownerName.includes('Nachbar'))).toBe(true);
    // Malmö staff have no Berlin ownerships in scope.
    const malmo = await json<OwnershipOptionsResponse>(
      await call(app, '/api/staff/documents/ownerships', { cookie: session.staffMalmo }),
    );
    expect(malmo.ownerships.some((o) => o.ownershipId === olafs[0]!.ownershipId)).toBe(false);

    const title = 'Einzelabrechnung 2025 Wohnung 5.01';
    const publish = (who: string, id: string) =>
      upload(who).then((attachmentId) =>
        call(app, '/api/staff/documents', {
          cookie: session[who],
          json: { title, type: 'owner_statement', scope: { kind: 'ownership', id }, attachmentId },
        }),
      );
    // Outside the scope and unknown ids: as if absent.
    expect((await publish('staffMalmo', olafs[0]!.ownershipId)).status).toBe(404);
    expect((await publish('staff', 'no-such-ownership')).status).toBe(404);

    const res = await publish('staff', olafs[0]!.ownershipId);
    expect(res.status).toBe(201);
    expect(await titlesOf('owner')).toContain(title);
    expect(await titlesOf('neighbour')).not.toContain(title);
    expect(await titlesOf('tenant')).not.toContain(title);
  });
});
