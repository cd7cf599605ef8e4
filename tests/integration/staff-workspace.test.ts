import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_CONTRACT_NUMBERS, DEMO_INCIDENT_TITLE, DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { insertTicket } from '../../db/repositories/tickets.ts';
import type { CannedReplyDto, TicketWorkspaceDto } from '../../shared/api/staff.ts';
import type { LiveEvent } from '../../shared/api/live.ts';
import { call } from '../helpers/auth.ts';
import { malmoBuildingId } from '../helpers/demo-places.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';
import { ack, LiveClient, startLiveServer, waitFor } from '../helpers/live.ts';

const { incidents, teams, users } = testTables;

describe('staff ticket workspace', async () => {
  const { ctx, app, db, session } = await staffWorld(['tenant', 'staff', 'staffMalmo', 'admin']);
  let seq = 0;

  const clientId = () => `ws-test-${++seq}-${Date.now()}`;
  const fileTicket = async (description = 'Fenster im Flur schließt nicht.') => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description,
        clientId: clientId(),
      },
    });
    return ((await res.json()) as { ticket: { id: string; number: string } }).ticket;
  };
  const workspace = async (id: string, who = 'staff') =>
    (await (
      await call(app, `/api/staff/tickets/${id}`, { cookie: session[who] })
    ).json()) as TicketWorkspaceDto;
  const userId = async (login: string) =>
    (await db.select({ id: users.id }).from(users).where(eq(users.loginEmail, login)))[0]!.id;

  it('shows the tenant panel, internal notes, SLA and the staff who may take the ticket', async () => {
    const ticket = await fileTicket();
    await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
      cookie: session.staff,
      json: { body: 'Hausmeister informiert.', internal: true, clientId: clientId() },
    });
    const view = await workspace(ticket.id);
    expect(view.panel).toMatchObject({
      tenant: { name: 'Erika Mustermann' },
      contract: { number: DEMO_CONTRACT_NUMBERS.tenant },
      unit: { number: '1.02' },
      address: { street: 'Musterstraße', houseNumber: '1' },
    });
    expect(view.messages.map((m) => m.visibility)).toEqual(['internal']);
    expect(view.sla.firstResponse.dueAt).toBe(view.ticket.firstResponseDueAt);
    const staffIds = view.staff.map((s) => s.id);
    expect(staffIds).toContain(await userId(DEMO_LOGINS.staff));
    expect(staffIds).not.toContain(await userId(DEMO_LOGINS.staffMalmo));
    // The tenant never sees the note.
    const tenantView = (await (
      await call(app, `/api/tickets/${ticket.id}`, { cookie: session.tenant })
    ).json()) as {
      messages: unknown[];
    };
    expect(tenantView.messages).toEqual([]);
  });

  it('audits status (with reason), assignment and priority; refuses assignees out of scope', async () => {
    const ticket = await fileTicket();
    const patch = (json: unknown) =>
      call(app, `/api/staff/tickets/${ticket.id}`, { method: 'PATCH', json, cookie: session.staff });
    expect(
      (await patch({ status: 'in_progress', reason: 'Techniker beauftragt', priority: 'high' })).status,
    ).toBe(200);
    expect((await patch({ assigneeId: await userId(DEMO_LOGINS.admin) })).status).toBe(200);
    const wrong = await patch({ assigneeId: await userId(DEMO_LOGINS.staffMalmo) });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid_assignee' } });
    expect((await patch({})).status).toBe(400);

    const view = await workspace(ticket.id);
    expect(view.statusHistory.at(-1)).toMatchObject({
      toStatus: 'in_progress',
      reason: 'Techniker beauftragt',
    });
    expect(view.audit.map((a) => a.action)).toEqual([
      'ticket.created',
      'ticket.status_changed',
      'ticket.priority_changed',
      'ticket.assigned',
    ]);
    expect(view.audit[1]).toMatchObject({
      actorName: 'Sabine Sommer',
      data: { reason: 'Techniker beauftragt' },
    });
    expect(view.messages.map((m) => m.body)).toEqual(['status:new->in_progress']);
  });

  it("answers 404 for every route on a ticket outside the staff member's scope", async () => {
    const ticket = await fileTicket();
    const other = await fileTicket();
    const reply = (await db.select().from(teams).where(eq(teams.name, 'Malmö')))[0]!;
    const tries: [string, string, unknown?][] = [
      ['GET', `/api/staff/tickets/${ticket.id}`],
      ['PATCH', `/api/staff/tickets/${ticket.id}`, { priority: 'low' }],
      ['POST', `/api/staff/tickets/${ticket.id}/messages`, { body: 'x', clientId: clientId() }],
      ['POST', `/api/staff/tickets/${ticket.id}/merge`, { intoTicketId: other.id }],
      ['POST', `/api/staff/tickets/${ticket.id}/incident`, { incidentId: null }],
      ['GET', `/api/staff/tickets/${ticket.id}/canned-replies/${reply.id}/render`],
    ];
    for (const [method, path, json] of tries) {
      const res = await call(app, path, { method, json, cookie: session.staffMalmo });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('merges a duplicate: closed, points at the target, the tenant still opens it', async () => {
    const duplicate = await fileTicket('Licht im Keller kaputt');
    const target = await fileTicket('Kellerlicht defekt');
    const merge = (id: string, into: string) =>
      call(app, `/api/staff/tickets/${id}/merge`, { json: { intoTicketId: into }, cookie: session.staff });
    expect((await merge(duplicate.id, duplicate.id)).status).toBe(400);
    const res = await merge(duplicate.id, target.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ticket: { status: 'closed' } });
    expect((await merge(duplicate.id, target.id)).status).toBe(409);

    const view = await workspace(duplicate.id);
    expect(view.ticket.mergedIntoId).toBe(target.id);
    const tenant = (await (
      await call(app, `/api/tickets/${duplicate.id}`, { cookie: session.tenant })
    ).json()) as {
      messages: { body: string }[];
    };
    expect(tenant.messages.map((m) => m.body)).toContain(`merged_into:${target.number}`);
    const targetView = await workspace(target.id);
    expect(targetView.messages.map((m) => [m.body, m.visibility])).toContainEqual([
      `merged_from:${duplicate.number}`,
      'internal',
    ]);
    expect(targetView.audit.map((a) => a.action)).toContain('ticket.merge_received');
  });

  it('links a ticket to an incident in scope, and not to one outside it', async () => {
    const ticket = await fileTicket();
    const berlinIncident = (
      await db.select().from(incidents).where(eq(incidents.title, DEMO_INCIDENT_TITLE))
    )[0]!;
    const link = (id: string, incidentId: string | null, who = 'staff') =>
      call(app, `/api/staff/tickets/${id}/incident`, { json: { incidentId }, cookie: session[who] });
    const res = await link(ticket.id, berlinIncident.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ticket: { incidentId: berlinIncident.id } });
    expect((await link(ticket.id, 'no-such-incident')).status).toBe(404);
    expect((await link(ticket.id, null)).status).toBe(200);

    // A Malmö ticket may not be linked by Malmö staff to a Berlin incident.
    const malmoBuilding = await malmoBuildingId(db);
    const now = new Date();
    const malmoTicket = await insertTicket(db, {
      number: '2099-000777',
      typeId: 'general_correspondence',
      fields: {},
      subject: 'Hiss',
      description: 'Hissen står still',
      createdByUserId: await userId(DEMO_LOGINS.tenant),
      buildingId: malmoBuilding,
      clientId: 'malmo-fixture',
      lastActivityAt: now,
      createdAt: now,
    });
    expect((await link(malmoTicket.id, berlinIncident.id, 'staffMalmo')).status).toBe(404);
    expect((await link(malmoTicket.id, null, 'staffMalmo')).status).toBe(200);
  });

  it('manages canned replies per team and fills placeholders for a ticket', async () => {
    const ticket = await fileTicket();
    const berlin = (await db.select().from(teams).where(eq(teams.name, 'Kundenservice Berlin')))[0]!;
    const list = async (who: string) =>
      (
        (await (await call(app, '/api/staff/canned-replies', { cookie: session[who] })).json()) as {
          replies: CannedReplyDto[];
        }
      ).replies;
    expect((await list('staffMalmo')).some((r) => r.teamId === berlin.id)).toBe(false);

    const created = await call(app, '/api/staff/canned-replies', {
      cookie: session.staff,
      json: {
        teamId: berlin.id,
        title: 'Anrede',
        body: 'Hallo {tenant_name}, zu {ticket_number} in {address}.',
      },
    });
    expect(created.status).toBe(201);
    const { reply } = (await created.json()) as { reply: CannedReplyDto };
    const render = await call(app, `/api/staff/tickets/${ticket.id}/canned-replies/${reply.id}/render`, {
      cookie: session.staff,
    });
    expect(await render.json()).toEqual({
      body: `Hallo Erika Mustermann, zu ${ticket.number} in Musterstraße 1, 10115 Berlin.`,
    });

    const edit = (who: string, id: string) =>
      call(app, `/api/staff/canned-replies/${id}`, {
        method: 'PATCH',
        json: { title: 'Neu' },
        cookie: session[who],
      });
    expect((await edit('staffMalmo', reply.id)).status).toBe(404);
    expect((await edit('staff', reply.id)).status).toBe(200);
    const global = (await list('staff')).find((r) => r.teamId === null)!;
    expect((await edit('staff', global.id)).status).toBe(403);
    const noTeam = await call(app, '/api/staff/canned-replies', {
      cookie: session.staff,
      json: { teamId: null, title: 'x', body: 'y' },
    });
    expect(noTeam.status).toBe(403);
    const del = await call(app, `/api/staff/canned-replies/${reply.id}`, {
      method: 'DELETE',
      cookie: session.staff,
    });
    expect(del.status).toBe(204);
    expect((await list('staff')).some((r) => r.id === reply.id)).toBe(false);
  });

  it('live: a second staff socket sees presence, typing, new tickets and internal notes; the tenant no note', async () => {
    const server = await startLiveServer(ctx.deps);
    const staff = new LiveClient(server.url, session.staff!);
    const admin = new LiveClient(server.url, session.admin!);
    const tenant = new LiveClient(server.url, session.tenant!);
    try {
      await Promise.all([staff.connect(), admin.connect(), tenant.connect()]);
      const ticket = await fileTicket('Live: Tür klemmt');
      await workspace(ticket.id, 'admin'); // the console reads over HTTP before it sends `viewing`
      await waitFor(
        () =>
          staff.events.some(
            (e) => e.type === 'ticket.created' && (e.data.ticket as { id: string }).id === ticket.id,
          ),
        5000,
        'ticket.created for staff',
      );
      await ack(admin.socket!, 'viewing', { ticketId: ticket.id });
      await ack(admin.socket!, 'typing', { ticketId: ticket.id });
      await waitFor(() => staff.ephemeral.some((e) => e.type === 'presence'), 5000, 'presence');
      await waitFor(() => staff.ephemeral.some((e) => e.type === 'typing'), 5000, 'typing');
      expect((await workspace(ticket.id)).viewers.map((v) => v.userId)).toEqual([
        await userId(DEMO_LOGINS.admin),
      ]);

      await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
        cookie: session.admin,
        json: { body: 'Nur intern', internal: true, clientId: clientId() },
      });
      await call(app, `/api/staff/tickets/${ticket.id}`, {
        method: 'PATCH',
        json: { status: 'in_progress' },
        cookie: session.admin,
      });
      const note = (e: LiveEvent) => e.type === 'message.created' && e.data.message.body === 'Nur intern';
      const updated = (e: LiveEvent) =>
        e.type === 'ticket.updated' &&
        e.data.ticket.id === ticket.id &&
        e.data.ticket.status === 'in_progress';
      await waitFor(() => staff.events.some(note), 5000, 'internal note for staff');
      await waitFor(() => staff.events.some(updated), 5000, 'status update for staff');
      // The tenant got the later status change, so the earlier note would have arrived too.
      await waitFor(() => tenant.events.some(updated), 5000, 'status update for the tenant');
      expect(tenant.events.some(note)).toBe(false);
    } finally {
      for (const client of [staff, admin, tenant]) client.disconnect();
      await server.close();
    }
  });
});
