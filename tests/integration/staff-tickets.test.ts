import { describe, expect, it } from 'vitest';
import { DEMO_TICKET_SUBJECTS } from '../../server/demo/demo-constants.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

describe('staff tickets API', async () => {
  const { app, session } = await staffWorld(['tenant', 'staff', 'staffMalmo']);

  const staircase = async () => {
    const res = await call(app, '/api/staff/tickets?q=Treppenhaus', { cookie: session.staff });
    return ((await res.json()) as { tickets: { id: string; subject: string }[] }).tickets[0]!;
  };

  it('lists by scope: Berlin tickets for all-scope staff, none for Malmö staff (404 on detail)', async () => {
    const ticket = await staircase();
    expect(ticket.subject).toContain(DEMO_TICKET_SUBJECTS.staircaseLight);
    const malmo = await call(app, '/api/staff/tickets', { cookie: session.staffMalmo });
    const subjects = ((await malmo.json()) as { tickets: { title: string }[] }).tickets.map((t) => t.title);
    expect(subjects).not.toContain(DEMO_TICKET_SUBJECTS.staircaseLight);
    expect((await call(app, `/api/staff/tickets/${ticket.id}`, { cookie: session.staffMalmo })).status).toBe(
      404,
    );
    expect((await call(app, '/api/staff/tickets', { cookie: session.tenant })).status).toBe(403);
  });

  it('changes status with history and a system line; first public reply sets firstRespondedAt', async () => {
    const ticket = await staircase();
    const patch = await call(app, `/api/staff/tickets/${ticket.id}`, {
      method: 'PATCH',
      json: { status: 'in_progress', priority: 'urgent' },
      cookie: session.staff,
    });
    expect(patch.status).toBe(200);
    expect(await patch.json()).toMatchObject({ ticket: { status: 'in_progress', priority: 'urgent' } });
    const reply = await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
      json: { body: 'Elektriker ist bestellt.', clientId: 'staff-reply-0001' },
      cookie: session.staff,
    });
    expect(reply.status).toBe(201);
    const detail = (await (
      await call(app, `/api/staff/tickets/${ticket.id}`, { cookie: session.staff })
    ).json()) as {
      ticket: { firstRespondedAt: string | null };
      messages: { kind: string }[];
      statusHistory: { toStatus: string }[];
    };
    expect(detail.ticket.firstRespondedAt).not.toBeNull();
    expect(detail.messages.map((m) => m.kind)).toEqual(['status_change', 'message']);
    expect(detail.statusHistory.map((h) => h.toStatus)).toEqual(['new', 'in_progress']);
    const bad = await call(app, `/api/staff/tickets/${ticket.id}`, {
      method: 'PATCH',
      json: { assigneeId: 'nobody' },
      cookie: session.staff,
    });
    expect(bad.status).toBe(400);
  });
});
