import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import type { CreatedApiKeyDto } from '../../shared/api/integration.ts';
import type { ImportResult } from '../../shared/api/import.ts';
import type { InboxPage } from '../../shared/api/staff.ts';
import type { TicketDto } from '../../shared/api/tickets.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { buildings, persons, tickets, users } = testTables;

/**
 * The inbox search finds a ticket by its tenant's name, customer number and address (issue 15
 * item 2). Those live on the person and the building, not the ticket: when the ERP renames the
 * person or the address changes, the search finds the ticket under the new words, not the old.
 */
describe('inbox search after a rename', async () => {
  const { app, db, session } = await staffWorld(['tenant', 'staff', 'admin']);

  const search = async (q: string) => {
    const res = await call(app, `/api/staff/tickets?view=all&limit=200&q=${encodeURIComponent(q)}`, {
      cookie: session.staff,
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as InboxPage).tickets.map((t) => t.id);
  };

  async function fileTicket(clientId: string): Promise<string> {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'kitchen',
          component: 'window',
          urgency: 'normal',
          permission_to_enter: true,
        },
        description: 'Das Fenster schließt nicht mehr.',
        clientId,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: TicketDto }).ticket.id;
  }

  const tenantPerson = async () => {
    const { personId } = (
      await db
        .select({ personId: users.personId })
        .from(users)
        .where(eq(users.loginEmail, DEMO_LOGINS.tenant))
    )[0]!;
    return (await db.select().from(persons).where(eq(persons.id, personId)))[0]!;
  };

  it('finds the ticket under the name and customer number an ERP delta load gave, not the old ones', async () => {
    const ticketId = await fileTicket('rename-import-1');
    const before = await tenantPerson();
    expect(before.externalId).toBeTruthy();
    expect(await search(before.lastName!)).toContain(ticketId);
    expect(await search(before.customerNumber!)).toContain(ticketId);

    const key = await call(app, '/api/staff/admin/api-keys', {
      cookie: session.admin,
      json: { name: 'ERP nightly', scopes: ['import'] },
    });
    expect(key.status).toBe(201);
    const { secret } = (await key.json()) as CreatedApiKeyDto;
    const person = {
      externalId: before.externalId,
      kind: before.kind,
      ...(before.salutation && { salutation: before.salutation }),
      ...(before.firstName && { firstName: before.firstName }),
      lastName: 'Quastenberg',
      ...(before.email && { email: before.email }),
      ...(before.phone && { phone: before.phone }),
      language: before.language,
      customerNumber: 'K-770077',
    };
    const res = await call(app, '/api/v1/import', {
      origin: null,
      headers: { authorization: `Bearer ${secret}` },
      json: { mode: 'delta', persons: [person] },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ImportResult).counts.persons.updated).toBe(1);

    expect(await search('Quastenberg')).toContain(ticketId);
    expect(await search('K-770077')).toContain(ticketId);
    expect(await search(before.lastName!)).not.toContain(ticketId);
    expect(await search(before.customerNumber!)).not.toContain(ticketId);
  });

  it('finds the ticket under a changed street, not the old one', async () => {
    const ticketId = await fileTicket('rename-street-1');
    const { buildingId } = (
      await db.select({ buildingId: tickets.buildingId }).from(tickets).where(eq(tickets.id, ticketId))
    )[0]!;
    const building = (await db.select().from(buildings).where(eq(buildings.id, buildingId!)))[0]!;
    expect(await search(building.street)).toContain(ticketId);

    await db.update(buildings).set({ street: 'Zypressenallee' }).where(eq(buildings.id, building.id));

    expect(await search('Zypressenallee')).toContain(ticketId);
    expect(await search(building.street)).not.toContain(ticketId);
  });
});
