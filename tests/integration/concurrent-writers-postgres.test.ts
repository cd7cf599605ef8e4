import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { openPostgres, type PostgresStore } from '../../db/client-pg.ts';
import { rawRows, tablesOf } from '../../db/dialect.ts';
import { insertNotifications } from '../../db/repositories/notifications.ts';
import { listMessagesOfTicket } from '../../db/repositories/ticket-messages.ts';
import { insertTickets, takeTicketNumber } from '../../db/repositories/tickets.ts';
import { insertWebhook, insertWebhookDeliveries } from '../../db/repositories/webhooks.ts';
import { createTicket } from '../../server/services/tickets/create.ts';
import { runAtOnce } from '../helpers/pg-instance.ts';
import { postgresMissing, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import { instanceDeps, request, seedTenantWorld, tenant } from '../helpers/pg-world.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * What one writer gave for free on SQLite, made explicit for PostgreSQL (issue "Beyond one
 * machine"): two instances — two processes, each with a pool of its own — write at the same
 * moment through the real services and repositories. Ticket numbers stay unique and consecutive,
 * every due outbox row and webhook delivery is claimed exactly once, and a message retried on
 * both instances at once is stored once.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

const numberOf = (year: number, sequence: number) => `${year}-${String(sequence).padStart(6, '0')}`;

/** The seeding statement the migration adds after creating the counter table. */
function counterSeedingOf(migration: string): string {
  const statement = readFileSync(join('db', migration), 'utf8').split('--> statement-breakpoint')[1];
  if (!statement?.includes('INSERT INTO')) throw new Error(`no seeding statement in ${migration}`);
  return statement;
}

/** Tickets with given numbers, written past the repositories (as rows from before the counters). */
async function insertBareTickets(db: Db, numbers: string[]): Promise<void> {
  const { tickets } = tablesOf(db);
  const at = new Date(Date.UTC(2026, 0, 5));
  await db.insert(tickets).values(
    numbers.map((number) => ({
      id: `bare-${number}`,
      number,
      typeId: 'general_correspondence',
      fields: {},
      subject: 'Alt',
      description: 'vor den Zählern',
      createdByUserId: tenant.id,
      clientId: `bare-${number}`,
      lastActivityAt: at,
      createdAt: at,
    })),
  );
}

const countersOf = async (db: Db) =>
  await rawRows<{ year: number; last: number }>(
    db,
    sql`select year, last from ticket_number_counters order by year`,
  );

describe.skipIf(gate.skip)(`concurrent writers on PostgreSQL${gate.label}`, () => {
  let server: PgServer;
  let store: PostgresStore;

  beforeAll(async () => {
    server = await startPgServer();
    store = await openPostgres(server.url, { maxConnections: 4 });
    await seedTenantWorld(store.db);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('two instances filing 30 requests each at once: 60 numbers after the seeded ones, none twice, no gap', async () => {
    const year = new Date().getUTCFullYear();
    // A ticket stored with a number of its own (demo seed, fixtures) moved the counter on.
    await insertTickets(store.db, [
      {
        id: 'seeded-1',
        number: numberOf(year, 5),
        typeId: 'general_correspondence',
        fields: {},
        subject: 'Gesät',
        description: 'aus dem Seed',
        createdByUserId: tenant.id,
        clientId: 'seeded-1',
        lastActivityAt: new Date(),
        createdAt: new Date(),
      },
    ]);
    const answers = (await runAtOnce(2, {
      DATABASE_URL: server.url,
      TASK: 'tickets',
      COUNT: '30',
    })) as string[][];
    expect(answers.map((numbers) => numbers.length)).toEqual([30, 30]);
    const numbers = answers.flat().sort();
    expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => numberOf(year, 6 + i)));
    expect(await countersOf(store.db)).toEqual([{ year, last: 65 }]);
  }, 180_000);

  it('two instances posting the same messages at once, each twice: one message per client id, every answer that one', async () => {
    const deps = instanceDeps(store.db);
    const { ticket } = await createTicket(deps, tenant, request('message-target'));
    const answers = (await runAtOnce(2, {
      DATABASE_URL: server.url,
      TASK: 'message',
      TICKET_ID: ticket.id,
      ROUNDS: '6',
      PREFIX: 'retry',
    })) as { clientId: string; messageId: string; created: boolean }[][];
    const stored = (await listMessagesOfTicket(store.db, ticket.id)).filter((m) =>
      m.clientId?.startsWith('retry-'),
    );
    expect(stored.map((m) => m.clientId).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `retry-${i}`).sort(),
    );
    const storedIdOf = new Map(stored.map((m) => [m.clientId, m.id]));
    const outcomes = answers.flat();
    expect(outcomes).toHaveLength(24);
    for (const [clientId, messageId] of storedIdOf) {
      const ofClient = outcomes.filter((outcome) => outcome.clientId === clientId);
      expect(ofClient.map((outcome) => outcome.messageId)).toEqual([
        messageId,
        messageId,
        messageId,
        messageId,
      ]);
      expect(ofClient.filter((outcome) => outcome.created)).toHaveLength(1);
    }
  }, 180_000);

  it('two instances claiming 150 due outbox rows at once claim each exactly once, and nothing not due', async () => {
    const now = Date.now();
    const row = (index: number, dueIn: number) => ({
      userId: tenant.id,
      channel: 'email' as const,
      category: 'ticket_replies' as const,
      template: 'ticket_reply',
      data: { index },
      language: 'de',
      nextAttemptAt: new Date(now + dueIn),
      createdAt: new Date(now - 60_000),
    });
    const due = await insertNotifications(
      store.db,
      Array.from({ length: 150 }, (_, i) => row(i, -60_000 + i)),
    );
    const later = await insertNotifications(
      store.db,
      Array.from({ length: 5 }, (_, i) => row(1000 + i, 3_600_000)),
    );
    const answers = (await runAtOnce(2, { DATABASE_URL: server.url, TASK: 'notifications' })) as string[][];
    const claimed = answers.flat();
    expect(claimed).toHaveLength(150);
    expect(new Set(claimed)).toEqual(new Set(due.map((row) => row.id)));
    expect(claimed.filter((id) => later.some((row) => row.id === id))).toEqual([]);
    // Both instances took part; neither was left waiting for the other's rows.
    expect(answers.every((ids) => ids.length > 0)).toBe(true);
  }, 180_000);

  it('two instances claiming 150 due webhook deliveries at once claim each exactly once, and nothing not due', async () => {
    const now = Date.now();
    const webhook = await insertWebhook(store.db, {
      url: 'https://erp.example.test/hooks',
      events: ['ticket.created'],
      secret: 'v1.test',
      createdAt: new Date(now - 60_000),
    });
    const delivery = (id: string, dueIn: number) => ({
      id,
      webhookId: webhook.id,
      type: 'ticket.created' as const,
      payload: '{}',
      nextAttemptAt: new Date(now + dueIn),
      createdAt: new Date(now - 60_000),
    });
    const due = Array.from({ length: 150 }, (_, i) => delivery(`msg_due_${i}`, -60_000 + i));
    await insertWebhookDeliveries(store.db, [
      ...due,
      ...Array.from({ length: 5 }, (_, i) => delivery(`msg_later_${i}`, 3_600_000)),
    ]);
    const answers = (await runAtOnce(2, { DATABASE_URL: server.url, TASK: 'webhooks' })) as string[][];
    const claimed = answers.flat();
    expect(claimed).toHaveLength(150);
    expect(new Set(claimed)).toEqual(new Set(due.map((row) => row.id)));
    expect(answers.every((ids) => ids.length > 0)).toBe(true);
  }, 180_000);

  it("the migration starts each year's counter at the highest number of that year", async () => {
    await insertBareTickets(store.db, ['2019-000041', '2019-000007', '2018-000003', 'X-2019-000099']);
    await rawRows(store.db, sql`delete from ticket_number_counters`);
    await rawRows(store.db, sql.raw(counterSeedingOf('migrations-pg/0005_ticket_number_counters.sql')));
    const year = new Date().getUTCFullYear();
    expect(await countersOf(store.db)).toEqual([
      { year: 2018, last: 3 },
      { year: 2019, last: 41 },
      // The seeded ticket, the two instances' 60 and the message test's one.
      { year, last: 66 },
    ]);
    expect(await takeTicketNumber(store.db, 2019)).toBe(42);
  });
});

describe('ticket number counters on SQLite', () => {
  let dir: string;
  let db: Db;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'portier-counters-'));
    db = openDatabase(join(dir, 'portier.sqlite'));
    await seedTenantWorld(db);
  });

  afterAll(() => {
    db?.$client.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the migration starts each year's counter at the highest number of that year", async () => {
    await insertBareTickets(db, [
      '2019-000041',
      '2019-000007',
      '2018-000003',
      'X-2019-000099',
      '2017-00001a',
    ]);
    db.$client.exec('delete from ticket_number_counters');
    db.$client.exec(counterSeedingOf('migrations/0024_ticket_number_counters.sql'));
    expect(await countersOf(db)).toEqual([
      { year: 2018, last: 3 },
      { year: 2019, last: 41 },
    ]);
    expect(await takeTicketNumber(db, 2019)).toBe(42);
    expect(await takeTicketNumber(db, 2017)).toBe(1);
  });
});
