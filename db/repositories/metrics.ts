import { count, inArray, max, min } from 'drizzle-orm';
import { isPostgres, tablesOf, type Tables } from '../dialect.ts';
import type { DbOrTx } from '../transaction.ts';

/** Rows waiting in one outbox and the creation time of the oldest of them (null when empty). */
export interface Backlog {
  waiting: number;
  oldestCreatedAt: Date | null;
}

const waitingNotification = ({ notifications }: Tables) =>
  inArray(notifications.status, ['pending', 'sending']);
const waitingDelivery = ({ webhookDeliveries }: Tables) =>
  inArray(webhookDeliveries.state, ['pending', 'failed']);

/** Notifications (mail, push, SMS) not yet sent and not given up: the worker's backlog. */
export async function notificationBacklog(db: DbOrTx): Promise<Backlog> {
  const tables = tablesOf(db);
  const { notifications } = tables;
  const [row] = await db
    .select({ waiting: count().mapWith(Number), oldest: min(notifications.createdAt) })
    .from(notifications)
    .where(waitingNotification(tables));
  return { waiting: Number(row?.waiting ?? 0), oldestCreatedAt: row?.oldest ?? null };
}

/** Webhook deliveries not yet delivered and not given up (first attempt due, or a retry after a failure). */
export async function webhookBacklog(db: DbOrTx): Promise<Backlog> {
  const tables = tablesOf(db);
  const { webhookDeliveries } = tables;
  const [row] = await db
    .select({ waiting: count().mapWith(Number), oldest: min(webhookDeliveries.createdAt) })
    .from(webhookDeliveries)
    .where(waitingDelivery(tables));
  return { waiting: Number(row?.waiting ?? 0), oldestCreatedAt: row?.oldest ?? null };
}

/** The newest event-log id and when it was written (0 and null for an empty log). */
export async function newestEvent(db: DbOrTx): Promise<{ id: number; createdAt: Date | null }> {
  const { events } = tablesOf(db);
  const [row] = await db.select({ id: max(events.id) }).from(events);
  const id = Number(row?.id ?? 0);
  if (id === 0) return { id: 0, createdAt: null };
  const [newest] = await db
    .select({ createdAt: events.createdAt })
    .from(events)
    .where(inArray(events.id, [id]))
    .limit(1);
  return { id, createdAt: newest?.createdAt ?? null };
}

/** Which store the connection is: SQLite (embedded) or PostgreSQL (`DATABASE_URL`). */
export function storeKind(db: DbOrTx): 'sqlite' | 'postgres' {
  return isPostgres(db) ? 'postgres' : 'sqlite';
}
