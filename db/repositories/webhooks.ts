import { and, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import {
  changedRows,
  first,
  isPostgres,
  lockedSkippingLocked,
  preparedRead,
  tablesOf,
  type Tables,
} from '../dialect.ts';
import type { webhookDeliveries, webhooks } from '../schema/webhooks.ts';
import type { DbOrTx } from '../transaction.ts';

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryInsert = typeof webhookDeliveries.$inferInsert;

export async function insertWebhook(db: DbOrTx, values: typeof webhooks.$inferInsert): Promise<WebhookRow> {
  const { webhooks } = tablesOf(db);
  const [row] = await db.insert(webhooks).values(values).returning();
  return row!;
}

/** Webhooks that still send, newest first. */
export async function listActiveWebhooks(db: DbOrTx): Promise<WebhookRow[]> {
  const { webhooks } = tablesOf(db);
  return await db
    .select()
    .from(webhooks)
    .where(isNull(webhooks.deletedAt))
    .orderBy(desc(webhooks.createdAt), desc(webhooks.id));
}

const subscribersQuery = preparedRead((db, { webhooks }) =>
  db
    .select({ id: webhooks.id, events: webhooks.events })
    .from(webhooks)
    .where(isNull(webhooks.deletedAt))
    .prepare(),
);

/** Ids and event types of the active webhooks: read on every ticket change, so prepared once. */
export async function listWebhookSubscriptions(db: DbOrTx): Promise<{ id: string; events: string[] }[]> {
  return await subscribersQuery.all(db);
}

export async function findActiveWebhook(db: DbOrTx, id: string): Promise<WebhookRow | undefined> {
  const { webhooks } = tablesOf(db);
  return await first(
    db
      .select()
      .from(webhooks)
      .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt))),
  );
}

export async function listWebhooksByIds(db: DbOrTx, ids: string[]): Promise<WebhookRow[]> {
  if (ids.length === 0) return [];
  const { webhooks } = tablesOf(db);
  return await db.select().from(webhooks).where(inArray(webhooks.id, ids));
}

export async function softDeleteWebhook(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const { webhooks } = tablesOf(db);
  const result = await db
    .update(webhooks)
    .set({ deletedAt: at })
    .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt)));
  return changedRows(result) > 0;
}

export async function setWebhookSecret(
  db: DbOrTx,
  id: string,
  secret: string,
  at: Date,
): Promise<WebhookRow | undefined> {
  const { webhooks } = tablesOf(db);
  return await first(
    db
      .update(webhooks)
      .set({ secret, secretRotatedAt: at })
      .where(and(eq(webhooks.id, id), isNull(webhooks.deletedAt)))
      .returning(),
  );
}

export async function insertWebhookDeliveries(db: DbOrTx, rows: WebhookDeliveryInsert[]): Promise<void> {
  const { webhookDeliveries } = tablesOf(db);
  if (rows.length > 0) await db.insert(webhookDeliveries).values(rows);
}

/** The newest deliveries of a webhook (the console's list). */
export async function listDeliveriesOfWebhook(
  db: DbOrTx,
  webhookId: string,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  const { webhookDeliveries } = tablesOf(db);
  // Same-millisecond rows: newest inserted first by SQLite's rowid; PostgreSQL has no insertion
  // order, the id decides there.
  const tieBreak = isPostgres(db) ? desc(webhookDeliveries.id) : desc(sql`rowid`);
  return await db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, webhookId))
    .orderBy(desc(webhookDeliveries.createdAt), tieBreak)
    .limit(limit);
}

export async function findDeliveryOfWebhook(
  db: DbOrTx,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDeliveryRow | undefined> {
  const { webhookDeliveries } = tablesOf(db);
  return await first(
    db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.webhookId, webhookId))),
  );
}

/** Due again now, with a fresh schedule; the message (id, payload) stays the same. */
export async function requeueDelivery(db: DbOrTx, id: string, now: Date): Promise<WebhookDeliveryRow> {
  const { webhookDeliveries } = tablesOf(db);
  const [row] = await db
    .update(webhookDeliveries)
    .set({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseToken: null,
      leasedUntil: null,
      deliveredAt: null,
    })
    .where(eq(webhookDeliveries.id, id))
    .returning();
  return row!;
}

const open = ({ webhookDeliveries }: Tables) => inArray(webhookDeliveries.state, ['pending', 'failed']);

/** A deleted webhook sends nothing more: what was still to be sent ends as `dead`. */
export async function killOpenDeliveriesOfWebhook(
  db: DbOrTx,
  webhookId: string,
  reason: string,
): Promise<number> {
  const tables = tablesOf(db);
  const { webhookDeliveries } = tables;
  return changedRows(
    await db
      .update(webhookDeliveries)
      .set({ state: 'dead', nextAttemptAt: null, leaseToken: null, leasedUntil: null, lastError: reason })
      .where(and(eq(webhookDeliveries.webhookId, webhookId), open(tables))),
  );
}

/**
 * Claims due rows in ONE statement (as the notification outbox does): open rows whose time has
 * come and that no live claim holds. The claim counts the attempt and sets a lease; a worker that
 * dies mid-send leaves a lease that runs out, and the row is taken again.
 */
export async function claimDueDeliveries(
  db: DbOrTx,
  now: Date,
  leaseUntil: Date,
  leaseToken: string,
  limit: number,
): Promise<WebhookDeliveryRow[]> {
  const tables = tablesOf(db);
  const { webhookDeliveries } = tables;
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        open(tables),
        lte(webhookDeliveries.nextAttemptAt, now),
        or(isNull(webhookDeliveries.leasedUntil), lte(webhookDeliveries.leasedUntil, now)),
      ),
    )
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(limit);
  // PostgreSQL: the due rows are locked as they are chosen, and a row another worker is claiming is
  // skipped, so two instances never claim the same row (a row leased just before no longer
  // qualifies when read again).
  return await db
    .update(webhookDeliveries)
    .set({
      attempts: sql`${webhookDeliveries.attempts} + 1`,
      lastAttemptAt: now,
      leaseToken,
      leasedUntil: leaseUntil,
    })
    .where(inArray(webhookDeliveries.id, lockedSkippingLocked(db, due)))
    .returning();
}

/** Only the claim that sent it may record the outcome: a resend or a stale worker changes nothing. */
const ownClaim = ({ webhookDeliveries }: Tables, row: Pick<WebhookDeliveryRow, 'id' | 'leaseToken'>) =>
  and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.leaseToken, row.leaseToken ?? ''));

export async function markDeliveryDelivered(
  db: DbOrTx,
  row: Pick<WebhookDeliveryRow, 'id' | 'leaseToken'>,
  status: number,
  at: Date,
): Promise<void> {
  const tables = tablesOf(db);
  await db
    .update(tables.webhookDeliveries)
    .set({
      state: 'delivered',
      deliveredAt: at,
      lastStatus: status,
      lastError: null,
      nextAttemptAt: null,
      leaseToken: null,
      leasedUntil: null,
    })
    .where(ownClaim(tables, row));
}

/** `nextAttemptAt` null: no attempt left, the row is `dead`. */
export async function markDeliveryFailed(
  db: DbOrTx,
  row: Pick<WebhookDeliveryRow, 'id' | 'leaseToken'>,
  outcome: { status: number | null; error: string; nextAttemptAt: Date | null },
): Promise<void> {
  const tables = tablesOf(db);
  await db
    .update(tables.webhookDeliveries)
    .set({
      state: outcome.nextAttemptAt ? 'failed' : 'dead',
      lastStatus: outcome.status,
      lastError: outcome.error,
      nextAttemptAt: outcome.nextAttemptAt,
      leaseToken: null,
      leasedUntil: null,
    })
    .where(ownClaim(tables, row));
}

/** Housekeeping: finished deliveries older than `before` go (the console shows recent ones). */
export async function deleteFinishedDeliveriesBefore(db: DbOrTx, before: Date): Promise<number> {
  const { webhookDeliveries } = tablesOf(db);
  return changedRows(
    await db
      .delete(webhookDeliveries)
      .where(
        and(inArray(webhookDeliveries.state, ['delivered', 'dead']), lt(webhookDeliveries.createdAt, before)),
      ),
  );
}

export interface TicketReferences {
  contractNumber: string | null;
  contractExternalId: string | null;
  unitExternalId: string | null;
  buildingExternalId: string | null;
  reporterExternalId: string | null;
}

/** The ERP's keys around a ticket, in one query (only run when a webhook wants the event). */
export async function findTicketReferences(
  db: DbOrTx,
  ticketId: string,
): Promise<TicketReferences | undefined> {
  const { buildings, contracts, persons, tickets, units, users } = tablesOf(db);
  return await first(
    db
      .select({
        contractNumber: contracts.number,
        contractExternalId: contracts.externalId,
        unitExternalId: units.externalId,
        buildingExternalId: buildings.externalId,
        reporterExternalId: persons.externalId,
      })
      .from(tickets)
      .innerJoin(users, eq(users.id, tickets.createdByUserId))
      .leftJoin(persons, eq(persons.id, users.personId))
      .leftJoin(contracts, eq(contracts.id, tickets.contractId))
      .leftJoin(units, eq(units.id, tickets.unitId))
      .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
      .where(eq(tickets.id, ticketId)),
  );
}

export async function findTicketNumber(db: DbOrTx, ticketId: string): Promise<string | undefined> {
  const { tickets } = tablesOf(db);
  const row = await first(
    db.select({ number: tickets.number }).from(tickets).where(eq(tickets.id, ticketId)),
  );
  return row?.number;
}
