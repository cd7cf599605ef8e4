import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { insertTickets, touchTicketAfterMessage } from '../../db/repositories/tickets.ts';
import { insertTicketMessages } from '../../db/repositories/ticket-messages.ts';
import { inboxTuning } from '../../db/repositories/staff-inbox.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import type { SessionUser } from '../../server/lib/context.ts';
import { countInbox, listInbox } from '../../server/services/tickets/staff-inbox.ts';
import { inboxViews, type StaffInboxQuery } from '../../shared/api/staff.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { buildings, estates, ticketMessages, tickets } = testTables;

/**
 * The search reads FTS5 documents in activity-key order and re-sorts ties of one millisecond
 * (migration 0004, staff-inbox.ts searchInboxTickets). Checked against a straightforward reference:
 * the view's own unsearched list, kept where the ticket's text or one of its messages contains
 * every search word — on tickets whose activity times collide, in small pages through the cursor.
 */
describe('staff inbox search against a reference', async () => {
  const { ctx, db } = await staffWorld(['staff']);
  const staff: Record<string, SessionUser> = {};
  const words = ['Heizung', 'Fenster', 'Aufzug', 'Schimmel', 'Klingel'];
  const base = Date.now() - 3_600_000;

  beforeAll(async () => {
    for (const login of [DEMO_LOGINS.staff, DEMO_LOGINS.staffMalmo]) {
      staff[login] = (await findAccountByLoginEmail(db, login))!.user;
    }
    const creator = (await findAccountByLoginEmail(db, DEMO_LOGINS.tenant))!.user.id;
    const building = async (country: string) =>
      (
        await db
          .select({ id: buildings.id })
          .from(buildings)
          .innerJoin(estates, eq(estates.id, buildings.estateId))
          .where(eq(estates.country, country))
      )[0]!.id;
    const places = [await building('DE'), await building('SE')];
    const statuses = ['new', 'in_progress', 'waiting_tenant', 'resolved', 'closed'] as const;
    const priorities = ['low', 'normal', 'high'] as const;
    const rows = Array.from({ length: 60 }, (_, i) => ({
      id: `search-${String((i * 37) % 60).padStart(2, '0')}`,
      number: `S-${String(i).padStart(4, '0')}`,
      typeId: 'general_correspondence',
      fields: {},
      subject: `${words[i % 5]} ${words[(i * 3) % 5]}`,
      description: i % 4 === 0 ? 'Treppenhausbeleuchtung defekt' : 'Bitte prüfen',
      status: statuses[i % 5],
      priority: priorities[i % 3],
      createdByUserId: creator,
      buildingId: places[i % 2],
      assigneeId: i % 3 === 0 ? null : staff[DEMO_LOGINS.staff]!.id,
      clientId: `search-${i}`,
      // Seven activity milliseconds for sixty tickets: ties the key order must resolve by id.
      lastActivityAt: new Date(base + (i % 7)),
      // Both SLA clocks, missed alone or together: "overdue" is counted as |A| + |B| − |A∧B|.
      firstResponseDueAt: i % 2 === 0 ? new Date(base - 60_000) : null,
      firstRespondedAt: i % 4 === 2 ? new Date(base - 90_000) : null,
      resolutionDueAt: i % 3 === 0 ? new Date(base - 30_000) : new Date(base + 86_400_000),
      createdAt: new Date(base - 86_400_000),
    }));
    await insertTickets(db, rows);
    await insertTicketMessages(
      db,
      rows.flatMap((row, i) => [
        { ticketId: row.id, authorUserId: creator, body: `Nachtrag ${words[(i + 2) % 5]} Kellerassel${i}` },
        // Status lines are no ticket text: never found (as before migration 0004).
        { ticketId: row.id, body: 'Geheimwort', kind: 'status_change' as const },
      ]),
    );
    // The triggers keep the documents current: a message edited, one deleted, activity moved.
    await db
      .update(ticketMessages)
      .set({ body: 'Dachrinne verstopft' })
      .where(eq(ticketMessages.body, `Nachtrag ${words[2]} Kellerassel0`));
    await db.delete(ticketMessages).where(eq(ticketMessages.body, `Nachtrag ${words[3]} Kellerassel1`));
    await touchTicketAfterMessage(db, rows[5]!.id, new Date(base + 3), false);
    await db.update(tickets).set({ subject: 'Regenrinne' }).where(eq(tickets.id, rows[6]!.id));
  });

  const text = async () => {
    const byTicket = new Map<string, string>();
    for (const t of await db.select().from(tickets)) {
      byTicket.set(t.id, `${t.number} ${t.subject} ${t.description}`);
    }
    for (const m of await db.select().from(ticketMessages).where(eq(ticketMessages.kind, 'message'))) {
      byTicket.set(m.ticketId, `${byTicket.get(m.ticketId)} ${m.body}`);
    }
    return byTicket;
  };
  const allPages = async (user: SessionUser, query: StaffInboxQuery, limit: number) => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listInbox(ctx.deps, user, { ...query, limit, cursor });
      ids.push(...page.tickets.map((t) => t.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return ids;
  };

  // Many small inbox pages, each a round trip to the server on PostgreSQL.
  it('returns the same rows in the same order and the same counts as the reference', async () => {
    const texts = await text();
    const contains = (id: string, q: string) =>
      q.split(/\s+/).every((word) => texts.get(id)!.toLowerCase().includes(word.toLowerCase()));
    const searches = ['heizung', 'Fenster AUFZUG', 'beleuchtung', 'Dachrinne', 'Kellerassel', 'S-0012'];
    const filters: StaffInboxQuery[] = [{}, { priority: 'high' }, { status: 'new' }, { assignee: 'none' }];
    for (const login of Object.keys(staff)) {
      const user = staff[login]!;
      for (const q of ['', ...searches, 'Kellerassel1', 'Geheimwort', 'Regenrinne']) {
        for (const filter of filters) {
          const expectedCounts: Record<string, number> = {};
          for (const view of inboxViews) {
            const expected = (await allPages(user, { ...filter, view }, 200)).filter((id) => contains(id, q));
            expect(await allPages(user, { ...filter, view, q }, 4), `${login} ${view} ${q}`).toEqual(
              expected,
            );
            expectedCounts[view] = expected.length;
          }
          expect(await countInbox(ctx.deps, user, { ...filter, q }), `${login} counts ${q}`).toEqual({
            counts: expectedCounts,
            atLeast: false,
          });
        }
      }
    }
    // The fixture really exercises the cases: many hits, edited, deleted and status-line text.
    const all = (q: string) => allPages(staff[DEMO_LOGINS.staff]!, { q }, 50);
    expect((await all('heizung')).length).toBeGreaterThan(10);
    expect(await all('Dachrinne')).toEqual(['search-00']);
    expect(await all('Kellerassel1')).not.toContain(`search-${String(37 % 60)}`);
    expect(await all('Geheimwort')).toEqual([]);
    expect(await all('Regenrinne')).toHaveLength(1);
  }, 180_000);

  it('stops counting a search after the newest hits, and says the counts are lower bounds', async () => {
    const user = staff[DEMO_LOGINS.staff]!;
    const query: StaffInboxQuery = { q: 'heizung' };
    const hits = Object.fromEntries(
      await Promise.all(
        inboxViews.map(async (view) => [view, (await allPages(user, { ...query, view }, 200)).length]),
      ),
    ) as Record<(typeof inboxViews)[number], number>;
    expect(hits.all).toBeGreaterThan(10);
    expect(await countInbox(ctx.deps, user, query)).toEqual({ counts: hits, atLeast: false });
    try {
      inboxTuning.searchCountLimit = 10;
      const { counts, atLeast } = await countInbox(ctx.deps, user, query);
      expect(atLeast).toBe(true);
      expect(counts.all).toBe(10);
      // Whichever ten hits were counted: never more than a view holds, never fewer than it holds
      // minus the hits left uncounted.
      for (const view of inboxViews) {
        expect(counts[view], view).toBeLessThanOrEqual(hits[view]);
        expect(counts[view], view).toBeGreaterThanOrEqual(hits[view] - (hits.all - 10));
      }
      inboxTuning.searchCountLimit = hits.all;
      expect(await countInbox(ctx.deps, user, query)).toEqual({ counts: hits, atLeast: false });
    } finally {
      inboxTuning.searchCountLimit = 100;
    }
  });

  it('lists "overdue" alike through the SLA indexes and the activity walk, never waiting tickets', async () => {
    const now = ctx.deps.now();
    const expected = (await db.select().from(tickets))
      .filter(
        (t) =>
          (t.status === 'new' || t.status === 'in_progress') &&
          ((t.firstRespondedAt === null && t.firstResponseDueAt !== null && t.firstResponseDueAt < now) ||
            (t.resolutionDueAt !== null && t.resolutionDueAt < now)),
      )
      .sort((a, b) => b.lastActivityAt.getTime() - a.lastActivityAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((t) => t.id);
    expect(expected.length).toBeGreaterThan(8);
    const user = staff[DEMO_LOGINS.staff]!;
    const sorted = await allPages(user, { view: 'overdue' }, 3);
    try {
      inboxTuning.overdueSortLimit = 0;
      expect(await allPages(user, { view: 'overdue' }, 3)).toEqual(sorted);
      // Walked (limit 0) and sorted (limit 1000) alike, also with a filter and with a search.
      const queries: StaffInboxQuery[] = [
        { view: 'overdue', priority: 'high' },
        { view: 'overdue', q: 'heizung' },
        { view: 'overdue', q: 'Fenster Aufzug', assignee: 'none' },
      ];
      const walked = await Promise.all(queries.map((query) => allPages(user, query, 2)));
      inboxTuning.overdueSortLimit = 1000;
      expect(await Promise.all(queries.map((query) => allPages(user, query, 2)))).toEqual(walked);
      expect(walked[1]!.length).toBeGreaterThan(2);
    } finally {
      inboxTuning.overdueSortLimit = 1000;
    }
    expect(sorted).toEqual(expected);
    expect((await countInbox(ctx.deps, user, {})).counts.overdue).toBe(expected.length);
  });
});
