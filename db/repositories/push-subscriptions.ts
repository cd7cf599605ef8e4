import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { pushSubscriptions } from '../schema/index.ts';

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
export type PushSubscriptionInsert = typeof pushSubscriptions.$inferInsert;

export function listPushSubscriptionsOfUser(db: DbOrTx, userId: string): PushSubscriptionRow[] {
  return db
    .select()
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId))
    .orderBy(desc(pushSubscriptions.createdAt))
    .all();
}

export function insertPushSubscription(db: DbOrTx, values: PushSubscriptionInsert): void {
  db.insert(pushSubscriptions).values(values).run();
}

/** Deletes one device only when it is the user's own; the count tells "not yours" apart. */
export function deletePushSubscriptionOfUser(db: DbOrTx, userId: string, subscriptionId: string): number {
  return db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.id, subscriptionId), eq(pushSubscriptions.userId, userId)))
    .run().changes;
}

export function deletePushSubscriptionsOfUser(db: DbOrTx, userId: string): number {
  return db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)).run().changes;
}

/**
 * Registers a device; the endpoint is the device's identity (one browser profile), so a device
 * re-registered by another login moves to that login instead of notifying both people. The caller
 * decides whether a move is allowed (notify/devices.ts: only with the same keys).
 */
export function upsertPushSubscription(db: DbOrTx, values: PushSubscriptionInsert): PushSubscriptionRow {
  return db
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
    .returning()
    .get();
}

/** Unsubscribe by endpoint, own devices only; 0 for a foreign or unknown endpoint. */
export function deletePushSubscriptionOfUserByEndpoint(db: DbOrTx, userId: string, endpoint: string): number {
  return db
    .delete(pushSubscriptions)
    .where(and(eq(pushSubscriptions.endpoint, endpoint), eq(pushSubscriptions.userId, userId)))
    .run().changes;
}

/** The push service answered 404/410: the subscription is gone for good (RFC 8030 §7.3). */
export function deletePushSubscription(db: DbOrTx, subscriptionId: string): void {
  db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, subscriptionId)).run();
}

export function markPushSubscriptionSucceeded(db: DbOrTx, subscriptionId: string, at: Date): void {
  db.update(pushSubscriptions)
    .set({ lastSuccessAt: at })
    .where(eq(pushSubscriptions.id, subscriptionId))
    .run();
}

export function findPushSubscriptionByEndpoint(
  db: DbOrTx,
  endpoint: string,
): PushSubscriptionRow | undefined {
  return db.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)).get();
}
