import { and, count, eq, gt, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import {
  auditEntries,
  events,
  notifications,
  ticketReads,
  users,
  webhookDeliveries,
  webhooks,
} from '../../db/schema/index.ts';
import { insertAuditEntry } from '../../db/repositories/audit.ts';
import { findTicketWithEstate } from '../../db/repositories/tickets.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { LiveEvent } from '../../shared/api/live.ts';
import type { TicketMessageDto } from '../../shared/api/tickets.ts';
import type { DomainEvents } from '../../server/events/bus.ts';
import { findAccountByUserId } from '../../db/repositories/users.ts';
import { unitOfWork } from '../../server/unit-of-work/index.ts';
import { writeMessage } from '../../server/services/tickets/messages.ts';
import { rooms } from '../../server/realtime/rooms.ts';
import { call } from '../helpers/auth.ts';
import { ack, LiveClient, startLiveServer, waitFor } from '../helpers/live.ts';
import { staffWorld } from '../helpers/staff-world.ts';

describe('unit of work and projector', () => {
  const { ctx, app, db, session } = staffWorld(['tenant', 'staff']);
  const deps = ctx.deps;
  let seq = 0;
  const clientId = () => `uow-test-${++seq}-${Date.now()}`;
  const userId = (login: string) =>
    db.select({ id: users.id }).from(users).where(eq(users.loginEmail, login)).get()!.id;
  const fileTicket = async () => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Die Haustür quietscht.',
        clientId: clientId(),
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string } }).ticket;
  };
  const auditCount = (on: DbOrTx) => on.select({ n: count() }).from(auditEntries).get()!.n;
  const latestEventId = () => db.select({ id: events.id }).from(events).all().at(-1)?.id ?? 0;

  it('keeps its rows from every other reader until it commits', async () => {
    const before = auditCount(db);
    let seenByOthers = -1;
    let seenInside = -1;
    await unitOfWork(deps, async ({ tx }) => {
      await insertAuditEntry(tx, {
        actorUserId: null,
        action: 'test.isolation',
        entityType: 'test',
        entityId: 'x',
        data: {},
        createdAt: deps.now(),
      });
      // The unit awaits; meanwhile another request reads on the main connection.
      await Promise.resolve();
      seenByOthers = auditCount(db);
      seenInside = auditCount(tx);
    });
    expect(seenInside).toBe(before + 1);
    expect(seenByOthers).toBe(before);
    expect(auditCount(db)).toBe(before + 1);
  });

  it('a unit that waits for I/O with its transaction open is rolled back', async () => {
    const before = auditCount(db);
    await expect(
      unitOfWork(deps, async ({ tx }) => {
        await insertAuditEntry(tx, {
          actorUserId: null,
          action: 'test.io',
          entityType: 'test',
          entityId: 'x',
          data: {},
          createdAt: deps.now(),
        });
        await new Promise((resolve) => setImmediate(resolve));
      }),
    ).rejects.toThrow('waited for I/O');
    expect(auditCount(db)).toBe(before);
  });

  it('a failing unit writes no event, outbox or webhook row and publishes nothing', async () => {
    const { id: ticketId } = await fileTicket();
    db.insert(webhooks)
      .values({ url: 'http://127.0.0.1:9/hook', events: ['ticket.message.created'], secret: 'v1.test' })
      .run();
    const staff = (await findAccountByUserId(db, userId(DEMO_LOGINS.staff)))!.user;
    const rows = () => ({
      events: db.select({ n: count() }).from(events).get()!.n,
      outbox: db.select({ n: count() }).from(notifications).get()!.n,
      webhooks: db.select({ n: count() }).from(webhookDeliveries).get()!.n,
    });
    const published: DomainEvents['log.committed'][] = [];
    const off = deps.bus.on('log.committed', (payload) => published.push(payload));
    try {
      const reply = async (fail: boolean) =>
        await unitOfWork(deps, async (uow) => {
          const ticket = (await findTicketWithEstate(uow.tx, ticketId))!;
          const body = { body: 'Wir kommen morgen.', clientId: clientId() };
          await writeMessage(uow, deps, staff, ticket, true, body, deps.now());
          if (fail) throw new Error('failed after writing');
        });
      const before = rows();
      await expect(reply(true)).rejects.toThrow('failed after writing');
      expect(rows()).toEqual(before);
      expect(published).toEqual([]);
      // The same unit without the failure writes all three kinds and publishes once: the test can fail.
      await reply(false);
      const after = rows();
      expect(after.events).toBe(before.events + 1);
      expect(after.outbox).toBeGreaterThan(before.outbox);
      expect(after.webhooks).toBe(before.webhooks + 1);
      expect(published).toHaveLength(1);
    } finally {
      off();
      db.update(webhooks).set({ deletedAt: deps.now() }).run();
    }
  });

  it('a staff change of status and assignee is one ticket.updated per audience, in the log and on the sockets', async () => {
    const server = await startLiveServer(deps);
    const staff = new LiveClient(server.url, session.staff!);
    const tenant = new LiveClient(server.url, session.tenant!);
    try {
      await Promise.all([staff.connect(), tenant.connect()]);
      const { id: ticketId } = await fileTicket();
      await waitFor(() =>
        staff.events.some((e) => e.type === 'ticket.created' && e.data.ticket.id === ticketId),
      );
      const from = latestEventId();
      const assigneeId = userId(DEMO_LOGINS.staff);
      const res = await call(app, `/api/staff/tickets/${ticketId}`, {
        method: 'PATCH',
        cookie: session.staff,
        json: { status: 'in_progress', assigneeId },
      });
      expect(res.status).toBe(200);
      const logged = db
        .select({ room: events.room, data: events.data })
        .from(events)
        .where(
          and(
            gt(events.id, from),
            eq(events.type, 'ticket.updated'),
            inArray(events.room, [rooms.ticket(ticketId), rooms.staffTicket(ticketId)]),
          ),
        )
        .all();
      expect(logged.map((row) => row.room).sort()).toEqual(
        [rooms.staffTicket(ticketId), rooms.ticket(ticketId)].sort(),
      );
      const staffView = logged.find((row) => row.room === rooms.staffTicket(ticketId))!.data as {
        ticket: { status: string; assigneeId: string };
      };
      expect(staffView.ticket).toMatchObject({ status: 'in_progress', assigneeId });
      const customerView = logged.find((row) => row.room === rooms.ticket(ticketId))!.data as {
        ticket: Record<string, unknown>;
      };
      expect(customerView.ticket).not.toHaveProperty('assigneeId');

      // A later message marks the end of the change on both sockets (delivery is ordered).
      const sent = await ack<{ message: TicketMessageDto }>(tenant.socket!, 'message.send', {
        ticketId,
        body: 'Danke!',
        clientId: clientId(),
      });
      const arrived = (client: LiveClient) =>
        client.events.some((e) => e.type === 'message.created' && e.data.message.id === sent.message.id);
      await waitFor(() => arrived(staff) && arrived(tenant), 5000, 'the later message');
      const updates = (client: LiveClient) =>
        client.events.filter(
          (e): e is LiveEvent<'ticket.updated'> =>
            e.id > from && e.type === 'ticket.updated' && e.data.ticket.id === ticketId,
        );
      expect(updates(staff)).toHaveLength(1);
      expect(updates(staff)[0]!.data.ticket).toMatchObject({ status: 'in_progress', assigneeId });
      expect(updates(tenant)).toHaveLength(1);
      expect(updates(tenant)[0]!.data.ticket).not.toHaveProperty('assigneeId');
    } finally {
      staff.disconnect();
      tenant.disconnect();
      await server.close();
    }
  });

  it('a read mark of one’s own message writes and sends nothing; of another’s it does', async () => {
    const server = await startLiveServer(deps);
    const tenant = new LiveClient(server.url, session.tenant!);
    try {
      await tenant.connect();
      const { id: ticketId } = await fileTicket();
      const tenantId = userId(DEMO_LOGINS.tenant);
      const own = await ack<{ message: TicketMessageDto }>(tenant.socket!, 'message.send', {
        ticketId,
        body: 'Noch eine Frage.',
        clientId: clientId(),
      });
      const readRow = () =>
        db
          .select()
          .from(ticketReads)
          .where(and(eq(ticketReads.ticketId, ticketId), eq(ticketReads.userId, tenantId)))
          .get();
      const stored = readRow();
      expect(stored?.lastReadMessageId).toBe(own.message.id);
      const from = latestEventId();
      await expect(ack(tenant.socket!, 'read', { ticketId, messageId: own.message.id })).resolves.toEqual({
        ok: true,
      });
      expect(latestEventId()).toBe(from);
      expect(readRow()).toEqual(stored);

      // Staff's reply is someone else's: its read mark is stored and sent.
      const reply = await call(app, `/api/staff/tickets/${ticketId}/messages`, {
        cookie: session.staff,
        json: { body: 'Gern.', clientId: clientId() },
      });
      const { message } = (await reply.json()) as { message: TicketMessageDto };
      await expect(ack(tenant.socket!, 'read', { ticketId, messageId: message.id })).resolves.toEqual({
        ok: true,
      });
      expect(readRow()?.lastReadMessageId).toBe(message.id);
      const logged = db.select().from(events).where(gt(events.id, from)).all();
      expect(logged.filter((row) => row.type === 'read')).toHaveLength(1);
    } finally {
      tenant.disconnect();
      await server.close();
    }
  });
  it('maps a service’s domain error to the API.md body over HTTP and to the ack over the socket', async () => {
    const { id: ticketId } = await fileTicket();
    const reopen = await call(app, `/api/tickets/${ticketId}/reopen`, { cookie: session.tenant, json: {} });
    expect(reopen.status).toBe(409);
    expect(await reopen.json()).toEqual({
      error: { code: 'not_resolved', message: 'Only resolved requests can be reopened.' },
    });
    const server = await startLiveServer(deps);
    const tenant = new LiveClient(server.url, session.tenant!);
    try {
      await tenant.connect();
      const unknown = '00000000-0000-4000-8000-000000000000';
      await expect(ack(tenant.socket!, 'read', { ticketId: unknown, messageId: unknown })).resolves.toEqual({
        error: { code: 'not_found', message: 'Not found.' },
      });
    } finally {
      tenant.disconnect();
      await server.close();
    }
  });
});
