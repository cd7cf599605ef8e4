import { execFileSync } from 'node:child_process';
import { eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_CUSTOMER_NUMBERS,
  DEMO_LOGINS,
} from '../../server/demo/demo-constants.ts';
import type { SessionUser } from '../../server/lib/context.ts';
import { bulkChangeTickets, runMacro } from '../../server/services/tickets/staff-desk.ts';
import type {
  BulkTicketsResponse,
  InboxFacetsDto,
  InboxPage,
  SavedViewDto,
  TicketMacroResponse,
} from '../../shared/api/staff.ts';
import { call } from '../helpers/auth.ts';
import { testStore } from '../helpers/context.ts';
import { debianPostgresBinDirs, findExecutable } from '../helpers/server-binaries.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { buildings, contracts, ticketMessages, tickets, users } = testTables;

/** The service desk of issue 15: inbox filters, sorting, search, bulk changes, saved views, macros. */
describe('staff desk', async () => {
  const { ctx, app, db, session } = await staffWorld(['tenant', 'staff', 'staffMalmo']);
  let clientSeq = 0;

  const get = async <T>(who: string, path: string) => {
    const res = await call(app, `/api/staff/tickets${path}`, { cookie: session[who] });
    expect(res.status, path).toBe(200);
    return (await res.json()) as T;
  };
  const inbox = (who: string, query: string) => get<InboxPage>(who, `?${query}`);
  const post = (who: string, path: string, json: unknown) =>
    call(app, `/api/staff/tickets${path}`, { cookie: session[who], json });
  /** The demo accounts' user ids and Erika's contract, read once after the seed. */
  const userIds = new Map<string, string>();
  const userId = (login: string) => userIds.get(login)!;
  let erikasContractId = '';
  beforeAll(async () => {
    for (const row of await db.select({ id: users.id, login: users.loginEmail }).from(users))
      userIds.set(row.login, row.id);
    erikasContractId = (
      await db
        .select({ id: contracts.id })
        .from(contracts)
        .where(eq(contracts.number, DEMO_CONTRACT_NUMBERS.tenant))
    )[0]!.id;
  });
  const fileTicket = async (description: string, withContract = false) => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description,
        ...(withContract && { contractId: erikasContractId }),
        clientId: `desk-test-${++clientSeq}-${Date.now()}`,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string; number: string } }).ticket;
  };
  const statusOf = (ids: string[]) =>
    db
      .select({ id: tickets.id, status: tickets.status, assigneeId: tickets.assigneeId })
      .from(tickets)
      .where(inArray(tickets.id, ids));

  it('rows carry tenant, unit, contract and the last message; filters by team, building and type', async () => {
    const ticket = await fileTicket('Der Briefkasten klemmt seit gestern.', true);
    const [row] = (await inbox('staff', 'view=all&type=general_correspondence&limit=200')).tickets.filter(
      (t) => t.id === ticket.id,
    );
    expect(row).toMatchObject({
      tenantName: 'Erika Mustermann',
      contractNumber: DEMO_CONTRACT_NUMBERS.tenant,
      lastMessage: null,
    });
    expect(row!.unitNumber).toBeTruthy();

    const facets = await get<InboxFacetsDto>('staff', '/facets');
    expect(facets.types).toContain('damage_report');
    expect(facets.buildings.length).toBeGreaterThan(1);
    const malmoFacets = await get<InboxFacetsDto>('staffMalmo', '/facets');
    expect(malmoFacets.buildings.length).toBeLessThan(facets.buildings.length);

    const byBuilding = await inbox('staff', `view=all&building=${row!.buildingId}&limit=200`);
    expect(byBuilding.tickets.every((t) => t.buildingId === row!.buildingId)).toBe(true);
    expect(byBuilding.tickets.map((t) => t.id)).toContain(ticket.id);
    const byType = await inbox('staff', 'view=all&type=damage_report&limit=200');
    expect(byType.tickets.length).toBeGreaterThan(0);
    expect(byType.tickets.every((t) => t.type === 'damage_report')).toBe(true);
    const team = facets.teams.find((candidate) => byBuilding.tickets.some((t) => t.teamId === candidate.id))!;
    const byTeam = await inbox('staff', `view=all&team=${team.id}&limit=200`);
    expect(byTeam.tickets.length).toBeGreaterThan(0);
    expect(byTeam.tickets.every((t) => t.teamId === team.id)).toBe(true);
  });

  it('sorts by priority (urgent first), by number both ways, and pages a sorted view', async () => {
    const urgent = await fileTicket('Sortierung: dringend');
    expect(
      (
        await call(app, `/api/staff/tickets/${urgent.id}`, {
          method: 'PATCH',
          cookie: session.staff,
          json: { priority: 'urgent' },
        })
      ).status,
    ).toBe(200);
    const byPriority = await inbox('staff', 'view=all&sort=priority');
    expect(byPriority.tickets[0]!.priority).toBe('urgent');
    const ranks = { urgent: 0, high: 1, normal: 2, low: 3 };
    const order = byPriority.tickets.map((t) => ranks[t.priority]);
    expect(order).toEqual([...order].sort((a, b) => a - b));

    const ascending = await inbox('staff', 'view=all&sort=number&dir=asc&limit=5');
    const numbers = ascending.tickets.map((t) => t.number);
    expect(numbers).toEqual([...numbers].sort());
    expect(ascending.nextCursor).toBeTruthy();
    const second = await inbox(
      'staff',
      `view=all&sort=number&dir=asc&limit=5&cursor=${ascending.nextCursor}`,
    );
    expect(second.tickets[0]!.number > numbers.at(-1)!).toBe(true);
    const descending = await inbox('staff', 'view=all&sort=number&dir=desc&limit=5');
    expect(descending.tickets[0]!.number > numbers[0]!).toBe(true);

    const bad = await call(app, '/api/staff/tickets?sort=colour', { cookie: session.staff });
    expect(bad.status).toBe(400);
    // A keyset cursor is not an offset cursor.
    const wrong = await call(
      app,
      `/api/staff/tickets?sort=number&cursor=${Buffer.from('[1,"x"]').toString('base64url')}`,
      {
        cookie: session.staff,
      },
    );
    expect(wrong.status).toBe(400);
  });

  it('finds tickets by tenant name, customer number, contract number and address', async () => {
    const ticket = await fileTicket('Die Haustür schließt nicht richtig.', true);
    for (const q of [
      'Mustermann Haustür',
      DEMO_CUSTOMER_NUMBERS.tenant,
      DEMO_CONTRACT_NUMBERS.tenant,
      'Musterstraße Haustür',
    ]) {
      const found = await inbox('staff', `view=all&q=${encodeURIComponent(q)}&limit=200`);
      expect(
        found.tickets.map((t) => t.id),
        q,
      ).toContain(ticket.id);
    }
    // Malmö staff search the same words and find nothing of Berlin.
    const malmo = await inbox('staffMalmo', `view=all&q=${DEMO_CUSTOMER_NUMBERS.tenant}`);
    expect(malmo.tickets).toEqual([]);
  });

  it('bulk-assigns and bulk-closes with a reason, all or nothing', async () => {
    const filed = [
      await fileTicket('Bulk eins'),
      await fileTicket('Bulk zwei'),
      await fileTicket('Bulk drei'),
    ];
    const ids = filed.map((t) => t.id);
    const staffId = userId(DEMO_LOGINS.staff);

    const assigned = await post('staff', '/bulk', { ids, assigneeId: staffId });
    expect(assigned.status).toBe(200);
    expect(((await assigned.json()) as BulkTicketsResponse).tickets).toHaveLength(3);
    expect((await statusOf(ids)).every((t) => t.assigneeId === staffId)).toBe(true);

    // Closing needs a reason; an empty list, an unknown field or no change at all are 400.
    expect((await post('staff', '/bulk', { ids, status: 'closed' })).status).toBe(400);
    expect((await post('staff', '/bulk', { ids: [], assigneeId: null })).status).toBe(400);
    expect((await post('staff', '/bulk', { ids })).status).toBe(400);
    expect((await post('staff', '/bulk', { ids, status: 'gone', reason: 'x' })).status).toBe(400);
    expect((await statusOf(ids)).every((t) => t.status === 'new')).toBe(true);

    // One id outside the caller's scope (Malmö staff, Berlin tickets) → 404, nothing changed.
    const malmo = await post('staffMalmo', '/bulk', { ids, status: 'closed', reason: 'Erledigt' });
    expect(malmo.status).toBe(404);
    const unknown = await post('staff', '/bulk', {
      ids: [...ids, 'no-such-ticket'],
      status: 'closed',
      reason: 'Erledigt',
    });
    expect(unknown.status).toBe(404);
    expect((await statusOf(ids)).every((t) => t.status === 'new')).toBe(true);

    const closed = await post('staff', '/bulk', { ids, status: 'closed', reason: 'Doppelt gemeldet' });
    expect(closed.status).toBe(200);
    expect((await statusOf(ids)).every((t) => t.status === 'closed')).toBe(true);
  });

  it('keeps saved views per staff member: another member neither sees nor deletes them', async () => {
    const created = await post('staff', '/views', {
      name: 'Dringend Berlin',
      query: { view: 'all', priority: 'urgent', sort: 'sla' },
    });
    expect(created.status).toBe(201);
    const { view } = (await created.json()) as { view: SavedViewDto };
    expect(view.query).toEqual({ view: 'all', priority: 'urgent', sort: 'sla' });

    expect((await get<{ views: SavedViewDto[] }>('staff', '/views')).views.map((v) => v.id)).toContain(
      view.id,
    );
    expect(
      (await get<{ views: SavedViewDto[] }>('staffMalmo', '/views')).views.map((v) => v.id),
    ).not.toContain(view.id);
    const stranger = await call(app, `/api/staff/tickets/views/${view.id}`, {
      method: 'DELETE',
      cookie: session.staffMalmo,
    });
    expect(stranger.status).toBe(404);
    expect((await post('staff', '/views', { name: '', query: {} })).status).toBe(400);
    expect((await post('staff', '/views', { name: 'x', query: { priority: 'huge' } })).status).toBe(400);

    const own = await call(app, `/api/staff/tickets/views/${view.id}`, {
      method: 'DELETE',
      cookie: session.staff,
    });
    expect(own.status).toBe(204);
    expect((await get<{ views: SavedViewDto[] }>('staff', '/views')).views.map((v) => v.id)).not.toContain(
      view.id,
    );
  });

  it('runs a macro: reply, status and assignment in one request, once per clientId', async () => {
    const ticket = await fileTicket('Bitte um Rückruf wegen der Nebenkosten.');
    const staffId = userId(DEMO_LOGINS.staff);
    const macro = {
      message: { body: 'Wir prüfen das und melden uns.', clientId: `macro-${Date.now()}` },
      status: 'waiting_tenant',
      assigneeId: staffId,
    };
    const res = await post('staff', `/${ticket.id}/macro`, macro);
    expect(res.status).toBe(200);
    const body = (await res.json()) as TicketMacroResponse;
    expect(body.ticket).toMatchObject({ status: 'waiting_tenant', assigneeId: staffId });
    expect(body.message).toMatchObject({ body: macro.message.body, visibility: 'public' });

    // A retry changes nothing twice.
    expect((await post('staff', `/${ticket.id}/macro`, macro)).status).toBe(200);
    const messages = (
      await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id))
    ).filter((message) => message.kind === 'message');
    expect(messages).toHaveLength(1);

    // Out of scope is 404 with nothing written; an assignee who cannot open it is 400.
    expect((await post('staffMalmo', `/${ticket.id}/macro`, { status: 'closed' })).status).toBe(404);
    expect(
      (await post('staff', `/${ticket.id}/macro`, { assigneeId: userId(DEMO_LOGINS.tenant) })).status,
    ).toBe(400);
    expect((await post('staff', `/${ticket.id}/macro`, {})).status).toBe(400);
    expect((await statusOf([ticket.id]))[0]).toMatchObject({ status: 'waiting_tenant', assigneeId: staffId });

    // The reply may carry files like any reply; one that cannot be claimed undoes the status too.
    const withFile = await post('staff', `/${ticket.id}/macro`, {
      message: { body: 'Foto anbei.', clientId: `macro-file-${Date.now()}`, attachmentIds: ['no-such-file'] },
      status: 'resolved',
    });
    expect(withFile.status).toBe(400);
    expect(((await withFile.json()) as { error: { code: string } }).error.code).toBe('invalid_attachment');
    expect((await statusOf([ticket.id]))[0]).toMatchObject({ status: 'waiting_tenant' });
  });

  /**
   * Tickets in Malmö, where Lars (Malmö staff) works on them, and a change committed after the
   * desk first looked at them and before its unit of work begins: the deps' clock, which both
   * services read once before their unit, moves `movedId` back to its Berlin building (out of
   * Lars's scope) the first time it is read.
   */
  const inMalmoUntilFirstClockRead = async (ids: string[], movedId: string) => {
    const [malmo] = await db.select({ id: buildings.id }).from(buildings).where(eq(buildings.city, 'Malmö'));
    const [berlin] = await db.select({ id: tickets.buildingId }).from(tickets).where(eq(tickets.id, movedId));
    await db.update(tickets).set({ buildingId: malmo!.id }).where(inArray(tickets.id, ids));
    let moved = false;
    return {
      ...ctx.deps,
      now: () => {
        if (!moved) {
          moved = true;
          moveSynchronously(movedId, berlin!.id!);
        }
        return ctx.deps.now();
      },
    };
  };
  /**
   * Moves a ticket to a building and commits before it returns, as the clock must: SQLite's driver
   * is synchronous; PostgreSQL's is not, so there psql runs the statement.
   */
  const moveSynchronously = (ticketId: string, buildingId: string) => {
    if (testStore === 'sqlite') {
      db.update(tickets).set({ buildingId }).where(eq(tickets.id, ticketId)).run();
      return;
    }
    const psql = findExecutable('psql', debianPostgresBinDirs());
    if (!psql) throw new Error('psql not found');
    // The statement on stdin: psql quotes its variables there (`:'name'`), not in --command.
    const moved = execFileSync(
      psql,
      [
        ctx.deps.config.databaseUrl!,
        '--no-psqlrc',
        '--set=ON_ERROR_STOP=1',
        `--set=ticket=${ticketId}`,
        `--set=building=${buildingId}`,
      ],
      { input: "update tickets set building_id = :'building' where id = :'ticket';\n", encoding: 'utf8' },
    );
    if (moved.trim() !== 'UPDATE 1') throw new Error(`psql answered ${moved}`);
  };
  const malmoStaff = async (): Promise<SessionUser> => {
    const row = (await db.select().from(users).where(eq(users.loginEmail, DEMO_LOGINS.staffMalmo)))[0]!;
    return {
      id: row.id,
      personId: row.personId,
      role: row.role,
      loginEmail: row.loginEmail,
      language: row.language,
    };
  };

  it('a bulk change acts on the tickets as they are in its unit: one moved out of scope meanwhile is 404, nothing changes', async () => {
    const filed = [await fileTicket('Bulk Umzug eins'), await fileTicket('Bulk Umzug zwei')];
    const ids = filed.map((t) => t.id);
    const deps = await inMalmoUntilFirstClockRead(ids, filed[1]!.id);

    await expect(
      bulkChangeTickets(deps, await malmoStaff(), { ids, status: 'closed', reason: 'Erledigt' }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    // All or nothing: neither the moved ticket nor the one still in scope was changed.
    expect((await statusOf(ids)).every((t) => t.status === 'new')).toBe(true);
  });

  it('a macro acts on the ticket as it is in its unit: moved out of scope meanwhile is 404, nothing written', async () => {
    const ticket = await fileTicket('Makro Umzug');
    const deps = await inMalmoUntilFirstClockRead([ticket.id], ticket.id);

    await expect(
      runMacro(deps, await malmoStaff(), ticket.id, {
        message: { body: 'Wir kümmern uns.', clientId: `macro-moved-${Date.now()}` },
        status: 'waiting_tenant',
      }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    expect((await statusOf([ticket.id]))[0]).toMatchObject({ status: 'new' });
    const replies = (
      await db.select().from(ticketMessages).where(eq(ticketMessages.ticketId, ticket.id))
    ).filter((message) => message.kind === 'message');
    expect(replies).toHaveLength(0);
  });
});
