// One "instance" for tests/integration/concurrent-writers-postgres.test.ts: a process with a pool
// of its own on PostgreSQL (`DATABASE_URL`) that, once told `go` on stdin, does `TASK` with a few
// lanes at once (requests of one instance overlap) and prints what it got as one JSON line.
//   tickets        files `COUNT` requests through the ticket service; answers their numbers
//   message        posts `ROUNDS` messages to `TICKET_ID`, each with client id `<PREFIX>-<round>`
//                  from two lanes at once (a retry racing its original); answers every outcome
//   notifications  claims due outbox rows in batches until none is left; answers their ids
//   webhooks       claims due webhook deliveries the same way; answers their ids
import { sql } from 'drizzle-orm';
import { openPostgres } from '../../db/client-pg.ts';
import { rawRows } from '../../db/dialect.ts';
import { claimDueNotifications } from '../../db/repositories/notifications.ts';
import { claimDueDeliveries } from '../../db/repositories/webhooks.ts';
import { createTicket } from '../../server/services/tickets/create.ts';
import { addMessage } from '../../server/services/tickets/messages.ts';
import { instanceDeps, request, tenant } from './pg-world.ts';

const env = process.env;
const store = await openPostgres(env.DATABASE_URL!, { migrate: false, maxConnections: 4 });
const deps = instanceDeps(store.db);
const instance = `${process.pid}`;
const lanes = 4;

async function inLanes<T>(count: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < count; i += lanes) results.push(await work(i));
    }),
  );
  return results;
}

async function untilNoneLeft(claim: (lane: number) => Promise<string[]>): Promise<string[]> {
  const claimed: string[] = [];
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (;;) {
        const ids = await claim(lane);
        if (ids.length === 0) return;
        claimed.push(...ids);
      }
    }),
  );
  return claimed;
}

const tasks: Record<string, () => Promise<unknown>> = {
  tickets: async () =>
    await inLanes(Number(env.COUNT), async (i) => {
      const { ticket, created } = await createTicket(deps, tenant, request(`${instance}-${i}`));
      if (!created) throw new Error('a new client id came back as a retry');
      return ticket.number;
    }),
  message: async () =>
    await inLanes(Number(env.ROUNDS) * 2, async (i) => {
      const clientId = `${env.PREFIX}-${Math.floor(i / 2)}`;
      const { message, created } = await addMessage(deps, tenant, env.TICKET_ID!, {
        body: `Nachricht ${clientId}`,
        clientId,
      });
      return { clientId, messageId: message.id, created };
    }),
  notifications: async () =>
    await untilNoneLeft(async () => {
      const now = new Date();
      const rows = await claimDueNotifications(store.db, now, new Date(now.getTime() + 600_000), 5);
      return rows.map((row) => row.id);
    }),
  webhooks: async () =>
    await untilNoneLeft(async (lane) => {
      const now = new Date();
      const token = `${instance}-${lane}`;
      const rows = await claimDueDeliveries(store.db, now, new Date(now.getTime() + 600_000), token, 5);
      return rows.map((row) => row.id);
    }),
};

const task = tasks[env.TASK ?? ''];
if (!task) throw new Error(`unknown TASK ${env.TASK}`);
// Connected before `ready`, so the instances start their work together, not their handshakes.
await rawRows(store.db, sql`select 1`);
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const answer = await task();
await store.close();
process.stdout.write(`${JSON.stringify(answer)}\n`);
