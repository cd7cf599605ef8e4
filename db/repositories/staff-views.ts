import { and, asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { staffSavedViews } from '../schema/index.ts';

export type SavedView = typeof staffSavedViews.$inferSelect;

/** A staff member's own saved inbox views, oldest first (the order they were made in). */
export async function listSavedViewsOfUser(db: DbOrTx, userId: string): Promise<SavedView[]> {
  return db
    .select()
    .from(staffSavedViews)
    .where(eq(staffSavedViews.userId, userId))
    .orderBy(asc(staffSavedViews.createdAt), asc(staffSavedViews.id))
    .all();
}

export async function countSavedViewsOfUser(db: DbOrTx, userId: string): Promise<number> {
  return (
    db.select({ n: count() }).from(staffSavedViews).where(eq(staffSavedViews.userId, userId)).get()?.n ?? 0
  );
}

export async function insertSavedView(
  db: DbOrTx,
  row: typeof staffSavedViews.$inferInsert,
): Promise<SavedView> {
  return db.insert(staffSavedViews).values(row).returning().get();
}

/** Deletes the view only if it is the user's: false for a missing or someone else's view. */
export async function deleteSavedViewOfUser(db: DbOrTx, userId: string, viewId: string): Promise<boolean> {
  return (
    db
      .delete(staffSavedViews)
      .where(and(eq(staffSavedViews.id, viewId), eq(staffSavedViews.userId, userId)))
      .run().changes > 0
  );
}
