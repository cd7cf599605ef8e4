import { count, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_NUMBERS } from '../../server/demo/demo-constants.ts';
import type { ContractsListResponse } from '../../shared/api/contracts.ts';
import type { DocumentDto } from '../../shared/api/documents.ts';
import type { HomeResponse } from '../../shared/api/home.ts';
import type { InvoiceSummaryDto } from '../../shared/api/invoices.ts';
import type { TenantRecordDto, TenantSummaryDto, TenantViewDto } from '../../shared/api/staff-tenants.ts';
import type { TicketDto } from '../../shared/api/tickets.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { auditEntries, documentReads, persons, sessions } = testTables;

/** Issue 15 item 5: the tenant record, the card beside a case and "view as tenant". */
describe('staff tenant 360°', async () => {
  const { app, db, session } = await staffWorld([
    'tenant',
    'householdMember',
    'staff',
    'staffMalmo',
    'admin',
  ]);

  const personId = async (customerNumber: string) =>
    (await db.select().from(persons).where(eq(persons.customerNumber, customerNumber)))[0]!.id;
  let erikaId = '';
  beforeAll(async () => {
    erikaId = await personId(DEMO_CUSTOMER_NUMBERS.tenant);
  });
  const get = async <T>(path: string, who: string): Promise<T> => {
    const res = await call(app, path, { cookie: session[who] });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const record = (id = erikaId, who = 'staff') => get<TenantRecordDto>(`/api/staff/tenants/${id}`, who);
  const countOf = async (table: typeof auditEntries | typeof sessions | typeof documentReads) =>
    Number((await db.select({ n: count() }).from(table))[0]!.n);
  const viewAudits = () =>
    db.select().from(auditEntries).where(eq(auditEntries.action, 'staff.viewed_as_tenant'));

  it('shows the same contracts, balances and tickets as the tenant sees', async () => {
    const staffView = await record();
    const own = await get<ContractsListResponse>('/api/contracts', 'tenant');
    const current = staffView.contracts.filter((contract) => contract.current);
    expect(current.map((contract) => contract.id).sort()).toEqual(
      own.contracts.map((contract) => contract.id).sort(),
    );
    for (const contract of own.contracts) {
      const seen = current.find((row) => row.id === contract.id)!;
      expect(seen.balance).toEqual(contract.balance);
      expect(seen.number).toBe(contract.number);
      expect(seen.units.map((unit) => unit.number)).toEqual(contract.unitNumbers);
      expect(seen.units[0]!.address).toBe(contract.addressLine);
    }
    const home = await get<HomeResponse>('/api/home', 'tenant');
    expect(staffView.totals.map((total) => total.balance.amount)).toEqual(
      home.balances.map((balance) => balance.amount),
    );
    const { tickets } = await get<{ tickets: TicketDto[] }>('/api/tickets', 'tenant');
    expect(tickets.length).toBeGreaterThan(0);
    expect(staffView.tickets.map((ticket) => ticket.id).sort()).toEqual(tickets.map((t) => t.id).sort());
    for (const ticket of tickets)
      expect(staffView.tickets.find((row) => row.id === ticket.id)?.status).toBe(ticket.status);
  });

  it('counts overdue open invoices as arrears, per contract and in total', async () => {
    const staffView = await record();
    const { invoices } = await get<{ invoices: InvoiceSummaryDto[] }>('/api/invoices', 'tenant');
    for (const contract of staffView.contracts.filter((row) => row.current)) {
      const overdue = invoices.filter((inv) => inv.contractId === contract.id && inv.status === 'overdue');
      expect(contract.overdue.count).toBe(overdue.length);
    }
    const total = staffView.totals[0]!;
    // The demo tenant is two months behind: the figure is checked on real arrears, not on zero.
    expect(total.overdue.count).toBeGreaterThan(0);
    expect(total.balance.state).toBe('arrears');
    expect(total.overdue.count).toBe(invoices.filter((inv) => inv.status === 'overdue').length);
  });

  it('lists the household with access, documents with their opening, consents and channels', async () => {
    const before = await record();
    const jonasId = await personId(DEMO_CUSTOMER_NUMBERS.householdMember);
    const jonas = before.household.find((member) => member.personId === jonasId);
    expect(jonas?.state).toBe('read');
    expect(before.household.find((member) => member.isSelf)?.state).toBe('full');
    expect(before.consents.map((consent) => consent.kind).sort()).toEqual([
      'electronic_delivery',
      'privacy',
      'terms',
    ]);
    expect(before.channels.electronicDelivery).toBe(true);
    expect(before.channels.reachable.post).toBe(true);
    expect(before.channels.preferences?.documents.email).toBe(true);

    // The tenant opens an unopened document: the record shows when.
    const { documents } = await get<{ documents: DocumentDto[] }>('/api/documents', 'tenant');
    expect(before.documents.map((doc) => doc.id).sort()).toEqual(documents.map((doc) => doc.id).sort());
    const unread = documents.find((doc) => !doc.read)!;
    expect(before.documents.find((doc) => doc.id === unread.id)?.firstOpenedAt).toBeNull();
    expect((await call(app, unread.fileUrl, { cookie: session.tenant })).status).toBe(200);
    const after = await record();
    expect(after.documents.find((doc) => doc.id === unread.id)?.firstOpenedAt).toEqual(expect.any(String));
  });

  it('summarises the tenant for the case: contracts, balance, household and open tickets', async () => {
    const full = await record();
    const summary = await get<TenantSummaryDto>(`/api/staff/tenants/${erikaId}/summary`, 'staff');
    expect(summary.person.name).toBe(full.person.name);
    expect(summary.contracts.map((contract) => contract.number)).toEqual(
      full.contracts.filter((contract) => contract.current).map((contract) => contract.number),
    );
    expect(summary.totals).toEqual(full.totals);
    expect(summary.householdCount).toBeGreaterThanOrEqual(1);
    expect(summary.openTickets).toBe(
      full.tickets.filter((ticket) => ['new', 'in_progress', 'waiting_tenant'].includes(ticket.status))
        .length,
    );
  });

  it('answers out-of-scope, unknown and malformed ids with the same 404', async () => {
    const paths = ['', '/summary', '/view'];
    for (const suffix of paths) {
      const outOfScope = await call(app, `/api/staff/tenants/${erikaId}${suffix}`, {
        cookie: session.staffMalmo,
      });
      const unknown = await call(app, `/api/staff/tenants/no-such-person${suffix}`, {
        cookie: session.staff,
      });
      const malformed = await call(app, `/api/staff/tenants/${encodeURIComponent('x y;<>')}${suffix}`, {
        cookie: session.staff,
      });
      expect([outOfScope.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
      const bodies = await Promise.all([outOfScope.text(), unknown.text(), malformed.text()]);
      expect(new Set(bodies).size).toBe(1);
    }
    // Tenants cannot read staff records, not even their own.
    expect((await call(app, `/api/staff/tenants/${erikaId}`, { cookie: session.tenant })).status).toBe(403);
  });

  it('views as the tenant: exactly the tenant pages, audited once per look, no session and no read marks', async () => {
    const sessionsBefore = await countOf(sessions);
    const readsBefore = await countOf(documentReads);
    const auditsBefore = new Set((await viewAudits()).map((entry) => entry.id));

    const view = await get<TenantViewDto>(`/api/staff/tenants/${erikaId}/view`, 'staff');
    await get<TenantViewDto>(`/api/staff/tenants/${erikaId}/view`, 'admin');

    const own = {
      contracts: (await get<ContractsListResponse>('/api/contracts', 'tenant')).contracts,
      // The view shows every invoice, as the tenant's list does with "unpaid only" switched off.
      invoices: (await get<{ invoices: InvoiceSummaryDto[] }>('/api/invoices?unpaid=false', 'tenant'))
        .invoices,
      documents: (await get<{ documents: DocumentDto[] }>('/api/documents', 'tenant')).documents,
      home: await get<HomeResponse>('/api/home', 'tenant'),
    };
    expect(view.contracts).toEqual(own.contracts);
    expect(view.invoices).toEqual(own.invoices);
    expect(view.documents).toEqual(own.documents);
    expect(view.home).toEqual(own.home);

    const audits = (await viewAudits()).filter((entry) => !auditsBefore.has(entry.id));
    expect(audits).toHaveLength(2);
    expect(audits.every((entry) => entry.entityId === erikaId)).toBe(true);
    expect(new Set(audits.map((entry) => entry.actorUserId)).size).toBe(2);
    expect(await countOf(sessions)).toBe(sessionsBefore);
    expect(await countOf(documentReads)).toBe(readsBefore);

    // The staff session is still a staff session: tenant routes stay closed to it.
    expect((await call(app, '/api/contracts', { cookie: session.staff })).status).toBe(403);
  });

  it('cannot write through the tenant record or the view', async () => {
    const auditsBefore = await countOf(auditEntries);
    for (const suffix of ['', '/summary', '/view'])
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const res = await call(app, `/api/staff/tenants/${erikaId}${suffix}`, {
          cookie: session.staff,
          method,
          json: { status: 'closed' },
        });
        expect([404, 405], `${method} ${suffix}`).toContain(res.status);
      }
    expect(await countOf(auditEntries)).toBe(auditsBefore);
  });
});
