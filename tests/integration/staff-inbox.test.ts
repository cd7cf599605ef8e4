import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import type { InboxViewName } from '../../db/repositories/staff-inbox.ts';
import { insertTicket } from '../../db/repositories/tickets.ts';
import type { InboxCountsResponse, InboxPage } from '../../shared/api/staff.ts';
import { call } from '../helpers/auth.ts';
import { malmoBuildingId } from '../helpers/demo-places.ts';
import { inboxFullScans } from '../helpers/inbox-full-scans.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { teams, tickets, ticketTypes, users } = testTables;

describe('staff inbox', async () => {
  // A clock that moves one millisecond per reading, and on when a test says so.
  let clock = Date.now();
  const { app, db, session } = await staffWorld(['tenant', 'staff', 'staffMalmo', 'admin'], {
    configure: (deps) => (deps.now = () => new Date(clock++)),
  });
  let clientSeq = 0;

  const inbox = async (who: string, query = '') => {
    const res = await call(app, `/api/staff/tickets${query}`, { cookie: session[who] });
    expect(res.status).toBe(200);
    return (await res.json()) as InboxPage;
  };
  const counts = async (who: string) =>
    (
      (await (
        await call(app, '/api/staff/tickets/counts', { cookie: session[who] })
      ).json()) as InboxCountsResponse
    ).counts;
  const fileTicket = async (description: string) => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description,
        clientId: `inbox-test-${++clientSeq}-${Date.now()}`,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string; number: string } }).ticket;
  };
  const userId = async (login: string) =>
    (await db.select({ id: users.id }).from(users).where(eq(users.loginEmail, login)))[0]!.id;
  const malmoBuilding = () => malmoBuildingId(db);

  it('shows a new request in "unassigned" and "all", moves it to "mine" and "waiting", counts follow', async () => {
    const before = await counts('staff');
    const ticket = await fileTicket('Die Klingel an der Haustür funktioniert nicht.');
    const after = await counts('staff');
    expect(after.unassigned).toBe(before.unassigned + 1);
    expect(after.all).toBe(before.all + 1);
    expect((await inbox('staff', '?view=unassigned')).tickets[0]).toMatchObject({
      id: ticket.id,
      unread: true,
      buildingLabel: 'Musterstraße 1',
      sla: { state: 'ok' },
    });

    const patch = (json: unknown) =>
      call(app, `/api/staff/tickets/${ticket.id}`, { method: 'PATCH', json, cookie: session.staff });
    expect((await patch({ assigneeId: await userId(DEMO_LOGINS.staff) })).status).toBe(200);
    expect((await inbox('staff', '?view=mine')).tickets.map((t) => t.id)).toContain(ticket.id);
    expect((await inbox('staff', '?view=unassigned')).tickets.map((t) => t.id)).not.toContain(ticket.id);
    expect((await counts('staff')).mine).toBe(after.mine + 1);
    // API.md's `assignee=me` still works beside the views.
    expect((await inbox('staff', '?assignee=me')).tickets.map((t) => t.id)).toContain(ticket.id);

    expect((await patch({ status: 'waiting_tenant', reason: 'Foto angefragt' })).status).toBe(200);
    expect((await inbox('staff', '?view=waiting')).tickets.map((t) => t.id)).toContain(ticket.id);

    // Malmö staff never see Berlin tickets, in lists or counts.
    expect((await inbox('staffMalmo', '?view=all')).tickets.map((t) => t.id)).not.toContain(ticket.id);
    const malmo = await counts('staffMalmo');
    expect(malmo.all).toBeLessThan(after.all);
  });

  it('lists overdue tickets whose first response or resolution is past due', async () => {
    const ticket = await fileTicket('Heizung im Bad bleibt kalt.');
    await db
      .update(tickets)
      .set({ firstResponseDueAt: new Date(Date.now() - 3_600_000) })
      .where(eq(tickets.id, ticket.id));
    const overdue = await inbox('staff', '?view=overdue');
    expect(overdue.tickets.find((t) => t.id === ticket.id)?.sla).toMatchObject({
      state: 'breached',
      firstResponse: { breached: true },
    });

    // Waiting for the tenant pauses the SLA (issue 5): such a ticket is never "overdue".
    const overdueCount = (await counts('staff')).overdue;
    await db.update(tickets).set({ status: 'waiting_tenant' }).where(eq(tickets.id, ticket.id));
    expect((await inbox('staff', '?view=overdue')).tickets.map((t) => t.id)).not.toContain(ticket.id);
    expect((await inbox('staff', '?view=waiting')).tickets.map((t) => t.id)).toContain(ticket.id);
    expect((await counts('staff')).overdue).toBe(overdueCount - 1);
    await db.update(tickets).set({ status: 'in_progress' }).where(eq(tickets.id, ticket.id));
    expect((await inbox('staff', '?view=overdue')).tickets.map((t) => t.id)).toContain(ticket.id);
  });

  it('searches number, subject, description and messages; wildcards are literal', async () => {
    const ticket = await fileTicket('Im Keller riecht es nach Feuchtigkeit.');
    await call(app, `/api/tickets/${ticket.id}/messages`, {
      cookie: session.tenant,
      json: { body: 'Nachtrag: Schimmelflecken an der Wand.', clientId: `inbox-msg-${Date.now()}` },
    });
    const ids = async (q: string) =>
      (await inbox('staff', `?q=${encodeURIComponent(q)}`)).tickets.map((t) => t.id);
    expect(await ids('feuchtigkeit')).toContain(ticket.id); // description, case-insensitive
    expect(await ids('schimmelflecken')).toContain(ticket.id); // a message
    expect(await ids(ticket.number)).toEqual([ticket.id]); // the number
    expect(await ids('Keller Schimmel')).toContain(ticket.id);
    expect(await ids('zz Feuchtigkeit')).toContain(ticket.id); // a short word beside it is ignored
    expect(await ids('"%_*')).toEqual([]); // FTS5 and LIKE syntax is text like any other
    // Only words too short for the trigram index: refused, in the list and in the counts.
    for (const path of ['/api/staff/tickets', '/api/staff/tickets/counts']) {
      for (const q of ['%', 'zz', 'a 12']) {
        const res = await call(app, `${path}?q=${encodeURIComponent(q)}`, { cookie: session.staff });
        expect(res.status, `${path} ${q}`).toBe(400);
        expect(await res.json()).toMatchObject({
          error: { code: 'validation_failed', fields: { q: 'search_too_short' } },
        });
      }
    }
    expect((await inbox('staffMalmo', '?q=feuchtigkeit')).tickets).toEqual([]);
  });

  it('pages by keyset cursor without gaps or repeats', async () => {
    const all = (await inbox('admin', '?limit=200')).tickets.map((t) => t.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: InboxPage = await inbox(
        'admin',
        `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.tickets.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await call(app, '/api/staff/tickets?cursor=nonsense', { cookie: session.staff })).status).toBe(
      400,
    );
    expect((await call(app, '/api/staff/tickets?view=bogus', { cookie: session.staff })).status).toBe(400);
  });

  it('marks unread until staff read or answer, and again on a new tenant message', async () => {
    const ticket = await fileTicket('Briefkasten klemmt.');
    const row = async () => (await inbox('staff', '?view=all')).tickets.find((t) => t.id === ticket.id)!;
    expect((await row()).unread).toBe(true);
    await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
      cookie: session.staff,
      json: { body: 'Wir schauen es uns an.', clientId: `inbox-reply-${Date.now()}` },
    });
    expect((await row()).unread).toBe(false);
    // The read mark moves on whole milliseconds: the tenant answers a second later.
    clock += 1000;
    await call(app, `/api/tickets/${ticket.id}/messages`, {
      cookie: session.tenant,
      json: { body: 'Danke!', clientId: `inbox-thanks-${Date.now()}` },
    });
    expect((await row()).unread).toBe(true);
  });

  it('routes to the type team only when its scope covers the building, else the narrowest team', async () => {
    const teamId = async (name: string) => (await db.select().from(teams).where(eq(teams.name, name)))[0]!.id;
    const setRouting = async (team: string | null) => {
      await db
        .update(ticketTypes)
        .set({ routingTeamId: team })
        .where(eq(ticketTypes.id, 'general_correspondence'));
    };
    const teamOf = async (id: string) =>
      (await db.select().from(tickets).where(eq(tickets.id, id)))[0]!.teamId;
    try {
      await setRouting(await teamId('Malmö')); // cannot see Berlin
      expect(await teamOf((await fileTicket('Routing 1')).id)).toBe(await teamId('Kundenservice Berlin'));
      await setRouting(await teamId('Kundenservice')); // scope all covers Berlin
      expect(await teamOf((await fileTicket('Routing 2')).id)).toBe(await teamId('Kundenservice'));
      await setRouting(null);
      expect(await teamOf((await fileTicket('Routing 3')).id)).toBe(await teamId('Kundenservice Berlin'));
    } finally {
      await setRouting(null);
    }
  });

  it('reads every view through an index, never a full table scan', async () => {
    const creator = await userId(DEMO_LOGINS.tenant);
    const now = new Date();
    await insertTicket(db, {
      number: '2099-000001',
      typeId: 'general_correspondence',
      fields: {},
      subject: 'Malmö',
      description: 'Hissen står still',
      createdByUserId: creator,
      buildingId: await malmoBuilding(),
      clientId: 'explain-fixture',
      lastActivityAt: now,
      createdAt: now,
    });
    const views: InboxViewName[] = ['unassigned', 'mine', 'all', 'overdue', 'waiting'];
    const scopes = [
      { buildingIds: null, userId: creator, now },
      { buildingIds: [await malmoBuilding()], userId: creator, now },
    ];
    for (const scope of scopes) {
      for (const view of views) {
        const { plan, fullScans } = await inboxFullScans(db, view, scope, {});
        expect(fullScans, `${view}: ${plan.join(' | ')}`).toEqual([]);
      }
    }
  });
});
