import { and, asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { staffSavedViews } from '../schema/index.ts';
import { changedRows, first, tablesOf } from '../dialect.ts';

export type SavedView = typeof staffSavedViews.$inferSelect;

/** A staff member's own saved inbox views, oldest first (the order they were made in). */
export async function listSavedViewsOfUser(db: DbOrTx, userId: string): Promise<SavedView[]> {
  const { staffSavedViews } = tablesOf(db);
  return await db
    .select()
    .from(staffSavedViews)
    .where(eq(staffSavedViews.userId, userId))
    .orderBy(asc(staffSavedViews.createdAt), asc(staffSavedViews.id));
}

export async function countSavedViewsOfUser(db: DbOrTx, userId: string): Promise<number> {
  const { staffSavedViews } = tablesOf(db);
  const row = await first(
    db
      .select({ n: count().mapWith(Number) })
      .from(staffSavedViews)
      .where(eq(staffSavedViews.userId, userId)),
  );
  return row?.n ?? 0;
}

export async function insertSavedView(
  db: DbOrTx,
  row: typeof staffSavedViews.$inferInsert,
): Promise<SavedView> {
  const { staffSavedViews } = tablesOf(db);
  const [inserted] = await db.insert(staffSavedViews).values(row).returning();
  return inserted!;
}

/** Deletes the view only if it is the user's: false for a missing or someone else's view. */
export async function deleteSavedViewOfUser(db: DbOrTx, userId: string, viewId: string): Promise<boolean> {
  const { staffSavedViews } = tablesOf(db);
  return (
    changedRows(
      await db
        .delete(staffSavedViews)
        .where(and(eq(staffSavedViews.id, viewId), eq(staffSavedViews.userId, userId))),
    ) > 0
  );
}
