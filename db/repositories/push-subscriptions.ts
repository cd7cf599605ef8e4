import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { pushSubscriptions } from '../schema/index.ts';
import { changedRows, first, tablesOf } from '../dialect.ts';

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
export type PushSubscriptionInsert = typeof pushSubscriptions.$inferInsert;

export async function listPushSubscriptionsOfUser(
  db: DbOrTx,
  userId: string,
): Promise<PushSubscriptionRow[]> {
  const { pushSubscriptions } = tablesOf(db);
  return await db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(desc(pushSubscriptions.createdAt), desc(pushSubscriptions.id));
}

export async function insertPushSubscription(db: DbOrTx, values: PushSubscriptionInsert): Promise<void> {
  const { pushSubscriptions } = tablesOf(db);
  await db.insert(pushSubscriptions).values(values);
}

/** Deletes one device only when it is the user's own; the count tells "not yours" apart. */
export async function deletePushSubscriptionOfUser(
  db: DbOrTx,
  userId: string,
  subscriptionId: string,
): Promise<number> {
  const { pushSubscriptions } = tablesOf(db);
  return changedRows(
    await db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.id, subscriptionId), eq(pushSubscriptions.userId, userId))),
  );
}

export async function deletePushSubscriptionsOfUser(db: DbOrTx, userId: string): Promise<number> {
  const { pushSubscriptions } = tablesOf(db);
  return changedRows(await db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)));
}

/**
 * Registers a device; the endpoint is the device's identity (one browser profile), so a device
 * re-registered by another login moves to that login instead of notifying both people. The caller
 * decides whether a move is allowed (notify/devices.ts: only with the same keys).
 */
export async function upsertPushSubscription(
  db: DbOrTx,
  values: PushSubscriptionInsert,
): Promise<PushSubscriptionRow> {
  const { pushSubscriptions } = tablesOf(db);
  const row = await first(
    db
      .insert(pushSubscriptions)
      .values(values)
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: {
          userId: values.userId,
          p256dh: values.p256dh,
          auth: values.auth,
          userAgent: values.userAgent ?? null,
        },
      })
      .returning(),
  );
  return row!;
}

/** Unsubscribe by endpoint, own devices only; 0 for a foreign or unknown endpoint. */
export async function deletePushSubscriptionOfUserByEndpoint(
  db: DbOrTx,
  userId: string,
  endpoint: string,
): Promise<number> {
  const { pushSubscriptions } = tablesOf(db);
  return changedRows(
    await db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.endpoint, endpoint), eq(pushSubscriptions.userId, userId))),
  );
}

/** The push service answered 404/410: the subscription is gone for good (RFC 8030 §7.3). */
export async function deletePushSubscription(db: DbOrTx, subscriptionId: string): Promise<void> {
  const { pushSubscriptions } = tablesOf(db);
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, subscriptionId));
}

export async function markPushSubscriptionSucceeded(
  db: DbOrTx,
  subscriptionId: string,
  at: Date,
): Promise<void> {
  const { pushSubscriptions } = tablesOf(db);
  await db
    .update(pushSubscriptions)
    .set({ lastSuccessAt: at })
    .where(eq(pushSubscriptions.id, subscriptionId));
}

export async function findPushSubscriptionByEndpoint(
  db: DbOrTx,
  endpoint: string,
): Promise<PushSubscriptionRow | undefined> {
  const { pushSubscriptions } = tablesOf(db);
  return await first(db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)));
}
