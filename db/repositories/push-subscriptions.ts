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
