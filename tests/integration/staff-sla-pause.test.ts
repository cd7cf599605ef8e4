import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InboxPage, TicketWorkspaceDto } from '../../shared/api/staff.ts';
import { businessMsBetween, defaultBusinessHours } from '../../server/services/sla.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

/**
 * SLA pause (issue 5 SLA timer; Zendesk "pending" semantics): the resolution clock stands still
 * while a ticket waits for the tenant and its due date moves by the business time waited.
 */
describe('SLA pause while waiting for the tenant', async () => {
  const { ticketTypes } = testTables;
  // Monday 2026-03-09 09:00 CET; the demo seed has no business_hours setting → Mon–Fri 08–17.
  let now = new Date('2026-03-09T08:00:00Z');
  const { app, db, session } = await staffWorld(['tenant', 'staff'], {
    configure: (deps) => (deps.now = () => now),
  });
  // Two business days to resolve, so "long past due" stays within the 30-day session.
  beforeAll(async () => {
    await db
      .update(ticketTypes)
      .set({ slaResolutionHours: 18 })
      .where(eq(ticketTypes.id, 'general_correspondence'));
  });
  const berlin = 'Europe/Berlin';
  let seq = 0;

  const fileTicket = async () => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Bitte rufen Sie mich wegen der Nebenkosten zurück.',
        clientId: `sla-pause-${++seq}`,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string } }).ticket.id;
  };
  const workspace = async (id: string) => {
    const res = await call(app, `/api/staff/tickets/${id}`, { cookie: session.staff });
    expect(res.status).toBe(200);
    return (await res.json()) as TicketWorkspaceDto;
  };
  const setStatus = async (id: string, status: string) => {
    const res = await call(app, `/api/staff/tickets/${id}`, {
      method: 'PATCH',
      json: { status, reason: 'Rückfrage' },
      cookie: session.staff,
    });
    expect(res.status).toBe(200);
  };
  const staffReply = async (id: string) => {
    const res = await call(app, `/api/staff/tickets/${id}/messages`, {
      cookie: session.staff,
      json: { body: 'Können Sie uns ein Foto schicken?', clientId: `sla-pause-reply-${++seq}` },
    });
    expect(res.status).toBe(201);
  };
  const dueOf = async (id: string) => new Date((await workspace(id)).sla.resolution.dueAt!);

  it('pauses the resolution clock and moves its due date by exactly the business hours waited', async () => {
    now = new Date('2026-03-09T08:00:00Z');
    const id = await fileTicket();
    await staffReply(id);
    const dueBefore = await dueOf(id);

    // Monday 10:00 CET → waiting; back on Wednesday 12:00 CET: 7 + 9 + 4 = 20 business hours.
    now = new Date('2026-03-09T09:00:00Z');
    await setStatus(id, 'waiting_tenant');
    expect((await workspace(id)).sla.state).toBe('paused');

    // Far past the original due date while still waiting: paused, not breached, in list and workspace.
    now = new Date(dueBefore.getTime() + 3 * 86_400_000);
    const paused = await workspace(id);
    expect(paused.sla).toMatchObject({ state: 'paused', resolution: { breached: false } });
    const list = (await (
      await call(app, '/api/staff/tickets?view=waiting', { cookie: session.staff })
    ).json()) as InboxPage;
    expect(list.tickets.find((row) => row.id === id)?.sla.state).toBe('paused');

    now = new Date('2026-03-11T11:00:00Z');
    // Only for this check: the original due date is long past, so the shift is what keeps it "ok".
    const waited = businessMsBetween(new Date('2026-03-09T09:00:00Z'), now, defaultBusinessHours, berlin);
    expect(waited).toBe(20 * 3_600_000);
    await setStatus(id, 'in_progress');
    const dueAfter = await dueOf(id);
    expect(businessMsBetween(dueBefore, dueAfter, defaultBusinessHours, berlin)).toBe(20 * 3_600_000);
    expect(dueAfter.getTime()).toBeGreaterThan(dueBefore.getTime());
    expect((await workspace(id)).sla.state).not.toBe('paused');
  });

  it('resumes when the tenant replies: back to in_progress, due date moved', async () => {
    now = new Date('2026-03-16T08:00:00Z'); // Monday 09:00 CET
    const id = await fileTicket();
    await staffReply(id);
    const dueBefore = await dueOf(id);
    await setStatus(id, 'waiting_tenant');

    now = new Date('2026-03-17T09:00:00Z'); // Tuesday 10:00 CET: 8 + 2 = 10 business hours later
    const res = await call(app, `/api/tickets/${id}/messages`, {
      cookie: session.tenant,
      json: { body: 'Hier ist das Foto.', clientId: `sla-pause-tenant-${++seq}` },
    });
    expect(res.status).toBe(201);
    const after = await workspace(id);
    expect(after.ticket.status).toBe('in_progress');
    expect(after.statusHistory.at(-1)).toMatchObject({
      fromStatus: 'waiting_tenant',
      toStatus: 'in_progress',
    });
    const dueAfter = new Date(after.sla.resolution.dueAt!);
    expect(businessMsBetween(dueBefore, dueAfter, defaultBusinessHours, berlin)).toBe(10 * 3_600_000);
  });
});
