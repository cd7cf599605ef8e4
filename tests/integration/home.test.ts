import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  DEMO_TENANT_UNPAID_INVOICES,
} from '../../server/demo/demo-constants.ts';
import { findContractByNumber } from '../../db/repositories/contracts.ts';
import { listInvoicesForContract } from '../../db/repositories/invoices.ts';
import { rentAccountBalance } from '../../db/repositories/ledger.ts';
import { listTicketsCreatedBy } from '../../db/repositories/tickets.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { createApp, type App } from '../../server/app.ts';
import type { HomeResponse } from '../../shared/api/home.ts';
import type { DocumentListResponse } from '../../shared/api/documents.ts';

let ctx: TestWorld;
let app: App;
let erika: string;

beforeAll(async () => {
  ctx = await createTestWorld();
  await seedDemo(ctx.deps);
  app = createApp(ctx.deps);
  erika = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
});
afterAll(() => ctx.close());

describe('GET /api/home', () => {
  it("matches Erika's account, invoices, requests, documents and notices", async () => {
    const res = await call(app, '/api/home', { cookie: erika });
    expect(res.status).toBe(200);
    const home = (await res.json()) as HomeResponse;
    const contract = (await findContractByNumber(ctx.deps.db, DEMO_CONTRACT_NUMBERS.tenant))!;
    const balance = await rentAccountBalance(ctx.deps.db, contract.id);
    expect(home.balance).toEqual({
      amount: balance,
      currency: 'EUR',
      state: balance > 0 ? 'due' : balance < 0 ? 'credit' : 'settled',
    });

    const unpaid = await listInvoicesForContract(ctx.deps.db, contract.id, { unpaidOnly: true });
    expect(home.unpaidInvoices).toEqual([
      {
        count: DEMO_TENANT_UNPAID_INVOICES,
        total: unpaid.reduce((sum, invoice) => sum + invoice.amount - (invoice.paidAmount ?? 0), 0),
        currency: 'EUR',
      },
    ]);

    const userId = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.tenant))!.user.id;
    expect(home.openRequests).toBe(await openRequestsListed(erika));
    expect(home.openRequests).toBeGreaterThanOrEqual(
      (await listTicketsCreatedBy(ctx.deps.db, userId)).filter(
        (t) => t.status !== 'closed' && !t.mergedIntoId,
      ).length,
    );

    const docs = (await (
      await call(app, '/api/documents', { cookie: erika })
    ).json()) as DocumentListResponse;
    expect(home.newDocuments).toBe(docs.documents.filter((d) => !d.read).length);
    expect(home.newDocuments).toBeGreaterThan(0);

    expect(home.notices.length).toBeGreaterThan(0);
    expect(home.notices.length).toBeLessThanOrEqual(3);
    for (const notice of home.notices)
      expect(new Date(notice.publishAt).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('counts the open requests the requests list shows, also those others filed on the contract', async () => {
    // Jonas reads along on Erika's contract and filed nothing himself; his list shows her requests.
    const jonas = await loginAs(app, DEMO_LOGINS.householdMember, DEMO_PASSWORD);
    const home = (await (await call(app, '/api/home', { cookie: jonas })).json()) as HomeResponse;
    expect(home.openRequests).toBe(await openRequestsListed(jonas));
    expect(home.openRequests).toBeGreaterThan(0);
  });

  it('refuses staff with 403 forbidden', async () => {
    const staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
    expect((await call(app, '/api/home', { cookie: staff })).status).toBe(403);
  });
});

/** What the requests page lists and does not show as closed. */
async function openRequestsListed(cookie: string): Promise<number> {
  const { tickets } = (await (await call(app, '/api/tickets', { cookie })).json()) as {
    tickets: { status: string }[];
  };
  return tickets.filter((ticket) => ticket.status !== 'closed').length;
}

describe('GET /api/contacts', () => {
  it("lists the contact persons of Erika's building", async () => {
    const res = await call(app, '/api/contacts', { cookie: erika });
    expect(res.status).toBe(200);
    const { buildings } = (await res.json()) as {
      buildings: { address: string; contacts: { role: string; name: string }[] }[];
    };
    expect(buildings).toHaveLength(1);
    expect(buildings[0]!.address).toMatch(/^Musterstraße 1,/);
    expect(buildings[0]!.contacts.length).toBeGreaterThan(0);
  });
});

describe('GET /api/owner/units', () => {
  it("lists the owner's units with share, and nothing for a tenant", async () => {
    const owner = await loginAs(app, DEMO_LOGINS.owner, DEMO_PASSWORD);
    const res = await call(app, '/api/owner/units', { cookie: owner });
    expect(res.status).toBe(200);
    const { units } = (await res.json()) as {
      units: { number: string; building: { houseNumber: string }; sharePerMille: number | null }[];
    };
    expect(units.map((u) => u.number).sort()).toEqual(['5.01', '5.02']);
    expect(units.every((u) => u.building.houseNumber === '5' && (u.sharePerMille ?? 0) > 0)).toBe(true);

    expect(await (await call(app, '/api/owner/units', { cookie: erika })).json()).toEqual({ units: [] });
  });
});
