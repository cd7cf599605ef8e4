import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testTables } from '../helpers/tables.ts';
import { findSetting } from '../../db/repositories/settings.ts';
import {
  backfillTicketSubjects,
  subjectsBackfillDoneKey,
} from '../../server/services/tickets/subjects-backfill.ts';
import type { InboxPage, TicketWorkspaceDto } from '../../shared/api/staff.ts';
import type { TicketDto } from '../../shared/api/tickets.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const { tickets } = testTables;

/**
 * Tickets filed before subjects were stored per language kept one English enum subject; the start
 * of the server computes theirs once, so they read in the reader's language everywhere and a
 * German search word finds them.
 */
describe('subjects of tickets filed before per-language subjects', async () => {
  const { app, ctx, db, session } = await staffWorld(['tenant', 'staff']);

  it('computes the missing subjects once from the type and the answers', async () => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'bathroom',
          component: 'mould',
          urgency: 'normal',
          permission_to_enter: true,
        },
        description: 'Schwarze Flecken an der Decke.',
        clientId: 'backfill-1',
      },
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: TicketDto };
    const filed = (await db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!;
    // As such a ticket was stored before: the enum subject, no subjects.
    await db
      .update(tickets)
      .set({ subject: 'Damage report: flat, bathroom, mould', subjects: null })
      .where(eq(tickets.id, ticket.id));

    expect(await backfillTicketSubjects(ctx.deps)).toBeGreaterThanOrEqual(1);
    const row = (await db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!;
    expect(row.subjects).toEqual(filed.subjects);
    expect(row.subject).toBe(filed.subjects!.de);
    expect(row.subject).not.toContain('flat');
    // Nothing left to do: a second start changes nothing.
    expect(await backfillTicketSubjects(ctx.deps)).toBe(0);

    const workspace = (await (
      await call(app, `/api/staff/tickets/${ticket.id}`, { cookie: session.staff })
    ).json()) as TicketWorkspaceDto;
    expect(workspace.ticket.subject).toBe(filed.subjects!.de);
    const mine = (await (await call(app, '/api/tickets', { cookie: session.tenant })).json()) as {
      tickets: TicketDto[];
    };
    expect(mine.tickets.find((t) => t.id === ticket.id)?.subjects).toEqual(filed.subjects);

    // The search index re-read the ticket: a word of the German subject finds it.
    const word = (filed.subjects!.de ?? '').split(/[\s:,]+/).at(-1) ?? '';
    const found = (await (
      await call(app, `/api/staff/tickets?q=${encodeURIComponent(word)}`, { cookie: session.staff })
    ).json()) as InboxPage;
    expect(found.tickets.map((t) => t.id)).toContain(ticket.id);
  });
});

describe('the subjects backfill on a later start', async () => {
  const { ctx, db } = await staffWorld([]);

  it('runs once per database: after it finished, a start reads no tickets', async () => {
    await backfillTicketSubjects(ctx.deps, new Date('2026-03-02T08:00:00Z'));
    expect(await findSetting(db, subjectsBackfillDoneKey)).toMatchObject({ at: '2026-03-02T08:00:00.000Z' });
    // A row without subjects appearing afterwards (none is filed that way) shows the next start
    // skipped the table: it would have been given subjects.
    const ticket = (await db.select({ id: tickets.id }).from(tickets).limit(1))[0]!;
    await db.update(tickets).set({ subjects: null }).where(eq(tickets.id, ticket.id));
    expect(await backfillTicketSubjects(ctx.deps)).toBe(0);
    expect((await db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]!.subjects).toBeNull();
  });
});
