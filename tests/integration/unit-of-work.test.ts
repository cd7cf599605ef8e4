import { and, count, desc, eq, gt, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
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
import { testStore } from '../helpers/context.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { auditEntries, events, notifications, ticketReads, users, webhookDeliveries, webhooks } = testTables;

describe('unit of work and projector', async () => {
  const { ctx, app, db, session } = await staffWorld(['tenant', 'staff']);
  const deps = ctx.deps;
  let seq = 0;
  const clientId = () => `uow-test-${++seq}-${Date.now()}`;
  const userId = async (login: string) =>
    (await db.select({ id: users.id }).from(users).where(eq(users.loginEmail, login)))[0]!.id;
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
  const countOf = async (on: DbOrTx, table: typeof auditEntries | typeof events | typeof notifications) =>
    Number((await on.select({ n: count() }).from(table))[0]!.n);
  const auditCount = (on: DbOrTx) => countOf(on, auditEntries);
  const latestEventId = async () =>
    (await db.select({ id: events.id }).from(events).orderBy(desc(events.id)).limit(1))[0]?.id ?? 0;

  it('keeps its rows from every other reader until it commits', async () => {
    const before = await auditCount(db);
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
      seenByOthers = await auditCount(db);
      seenInside = await auditCount(tx);
    });
    expect(seenInside).toBe(before + 1);
    expect(seenByOthers).toBe(before);
    expect(await auditCount(db)).toBe(before + 1);
  });

  // SQLite's units share the process's one writer and must not hold its lock across event-loop
  // turns; a PostgreSQL unit is a transaction on a pooled connection of its own, awaited over the
  // network by nature (server/unit-of-work/postgres.ts).
  it.runIf(testStore === 'sqlite')(
    'a unit that waits for I/O with its transaction open is rolled back',
    async () => {
      const before = await auditCount(db);
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
      expect(await auditCount(db)).toBe(before);
    },
  );

  it('a failing unit writes no event, outbox or webhook row and publishes nothing', async () => {
    const { id: ticketId } = await fileTicket();
    await db
      .insert(webhooks)
      .values({ url: 'http://127.0.0.1:9/hook', events: ['ticket.message.created'], secret: 'v1.test' });
    const staff = (await findAccountByUserId(db, await userId(DEMO_LOGINS.staff)))!.user;
    const rows = async () => ({
      events: await countOf(db, events),
      outbox: await countOf(db, notifications),
      webhooks: Number((await db.select({ n: count() }).from(webhookDeliveries))[0]!.n),
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
      const before = await rows();
      await expect(reply(true)).rejects.toThrow('failed after writing');
      expect(await rows()).toEqual(before);
      expect(published).toEqual([]);
      // The same unit without the failure writes all three kinds and publishes once: the test can fail.
      await reply(false);
      const after = await rows();
      expect(after.events).toBe(before.events + 1);
      expect(after.outbox).toBeGreaterThan(before.outbox);
      expect(after.webhooks).toBe(before.webhooks + 1);
      expect(published).toHaveLength(1);
    } finally {
      off();
      await db.update(webhooks).set({ deletedAt: deps.now() });
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
      const from = await latestEventId();
      const assigneeId = await userId(DEMO_LOGINS.staff);
      const res = await call(app, `/api/staff/tickets/${ticketId}`, {
        method: 'PATCH',
        cookie: session.staff,
        json: { status: 'in_progress', assigneeId },
      });
      expect(res.status).toBe(200);
      const logged = await db
        .select({ room: events.room, data: events.data })
        .from(events)
        .where(
          and(
            gt(events.id, from),
            eq(events.type, 'ticket.updated'),
            inArray(events.room, [rooms.ticket(ticketId), rooms.staffTicket(ticketId)]),
          ),
        );
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
      const tenantId = await userId(DEMO_LOGINS.tenant);
      const own = await ack<{ message: TicketMessageDto }>(tenant.socket!, 'message.send', {
        ticketId,
        body: 'Noch eine Frage.',
        clientId: clientId(),
      });
      const readRow = async () =>
        (
          await db
            .select()
            .from(ticketReads)
            .where(and(eq(ticketReads.ticketId, ticketId), eq(ticketReads.userId, tenantId)))
        )[0];
      const stored = await readRow();
      expect(stored?.lastReadMessageId).toBe(own.message.id);
      const from = await latestEventId();
      await expect(ack(tenant.socket!, 'read', { ticketId, messageId: own.message.id })).resolves.toEqual({
        ok: true,
      });
      expect(await latestEventId()).toBe(from);
      expect(await readRow()).toEqual(stored);

      // Staff's reply is someone else's: its read mark is stored and sent.
      const reply = await call(app, `/api/staff/tickets/${ticketId}/messages`, {
        cookie: session.staff,
        json: { body: 'Gern.', clientId: clientId() },
      });
      const { message } = (await reply.json()) as { message: TicketMessageDto };
      await expect(ack(tenant.socket!, 'read', { ticketId, messageId: message.id })).resolves.toEqual({
        ok: true,
      });
      expect((await readRow())?.lastReadMessageId).toBe(message.id);
      const logged = await db.select().from(events).where(gt(events.id, from));
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
