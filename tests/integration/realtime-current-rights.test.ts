import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import type { ResyncAnswer } from '../../shared/api/live.ts';
import { call } from '../helpers/auth.ts';
import { ack, LiveClient, startLiveServer, waitFor } from '../helpers/live.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { teamMembers, users } = testTables;

type Answer = { error?: { code: string }; ok?: true; message?: { id: string } };

/**
 * Issue 13 finding 2: the socket kept the account it had at connect. A demoted admin's open socket
 * still replied publicly to, marked read and resynced internal notes of tickets outside the new
 * scope until it reconnected. Each event is now decided on the account as it is at that moment;
 * the role is changed in the database here, as another instance or an operator would, without the
 * in-process notice that moves rooms.
 */
describe('socket events are decided on the account as it is now', async () => {
  const { ctx, app, db, session } = await staffWorld(['tenant', 'admin']);
  let seq = 0;
  const userId = async (login: string) =>
    (await db.select({ id: users.id }).from(users).where(eq(users.loginEmail, login)))[0]!.id;

  const fileTicketWithNote = async () => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Frage zur Hausordnung',
        clientId: `rights-ticket-${++seq}`,
      },
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: { id: string } };
    const note = await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
      cookie: session.admin,
      json: { body: 'Interne Notiz: Hausmeister fragen', internal: true, clientId: `rights-note-${seq}` },
    });
    expect(note.status).toBe(201);
    const { message } = (await note.json()) as { message: { id: string } };
    return { ticketId: ticket.id, noteId: message.id };
  };
  const mentions = (answer: ResyncAnswer, ticketId: string) =>
    answer.events.filter((event) => JSON.stringify(event.data).includes(ticketId));

  it("a demoted admin's open socket loses the tickets outside the new scope at once", async () => {
    const server = await startLiveServer(ctx.deps);
    const admin = new LiveClient(server.url, session.admin!);
    const adminId = await userId(DEMO_LOGINS.admin);
    let restoreTeams = async () => {};
    try {
      await admin.connect();
      const before = admin.lastId;
      const { ticketId, noteId } = await fileTicketWithNote();
      // As admin: the note is in the resync, and the socket may mark read (not vacuous).
      const asAdmin = await ack<ResyncAnswer>(admin.socket!, 'resync', { after: before });
      expect(mentions(asAdmin, ticketId).length).toBeGreaterThan(0);
      expect(await ack<Answer>(admin.socket!, 'read', { ticketId, messageId: noteId })).toEqual({ ok: true });

      // Demoted to staff without a team: a scope of nothing.
      const memberships = await db.select().from(teamMembers).where(eq(teamMembers.userId, adminId));
      await db.update(users).set({ role: 'staff' }).where(eq(users.id, adminId));
      await db.delete(teamMembers).where(eq(teamMembers.userId, adminId));
      restoreTeams = async () => {
        if (memberships.length > 0) await db.insert(teamMembers).values(memberships);
      };

      const resync = await ack<ResyncAnswer>(admin.socket!, 'resync', { after: before });
      expect(mentions(resync, ticketId)).toEqual([]);
      const send = await ack<Answer>(admin.socket!, 'message.send', {
        ticketId,
        body: 'Öffentliche Antwort nach der Herabstufung',
        clientId: 'rights-after-demotion',
      });
      expect(send.error?.code).toBe('not_found');
      const read = await ack<Answer>(admin.socket!, 'read', { ticketId, messageId: noteId });
      expect(read.error?.code).toBe('not_found');
      const typing = await ack<Answer>(admin.socket!, 'typing', { ticketId });
      expect(typing.error?.code).toBe('not_found');
      const detail = await call(app, `/api/tickets/${ticketId}`, { cookie: session.tenant });
      expect(detail.status).toBe(200);
      expect(await detail.text()).not.toContain('Öffentliche Antwort nach der Herabstufung');
    } finally {
      await db.update(users).set({ role: 'admin' }).where(eq(users.id, adminId));
      await restoreTeams();
      admin.disconnect();
      await server.close();
    }
  });

  it('a disabled account is answered unauthenticated and its socket closed', async () => {
    const server = await startLiveServer(ctx.deps);
    const tenant = new LiveClient(server.url, session.tenant!);
    const tenantId = await userId(DEMO_LOGINS.tenant);
    try {
      await tenant.connect();
      expect(await ack<ResyncAnswer>(tenant.socket!, 'resync', { after: tenant.lastId })).toHaveProperty(
        'events',
      );
      await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, tenantId));
      const answer = await ack<Answer>(tenant.socket!, 'resync', { after: 0 });
      expect(answer.error?.code).toBe('unauthenticated');
      await waitFor(() => tenant.socket!.connected === false, 5000, 'the socket is closed');
    } finally {
      await db.update(users).set({ disabledAt: null }).where(eq(users.id, tenantId));
      tenant.disconnect();
      await server.close();
    }
  });
});
