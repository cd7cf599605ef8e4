import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { letterRequests } from '../schema/index.ts';
import { changedRows, first, tablesOf } from '../dialect.ts';

export type LetterRequestRow = typeof letterRequests.$inferSelect;
export type NewLetterRequestRow = typeof letterRequests.$inferInsert;

export async function insertLetterRequest(
  db: DbOrTx,
  values: NewLetterRequestRow,
): Promise<LetterRequestRow> {
  const { letterRequests } = tablesOf(db);
  return (await first(db.insert(letterRequests).values(values).returning()))!;
}

/** Newest first; open ones are the staff's to-do list. */
export async function listLetterRequests(db: DbOrTx, status: LetterRequestRow['status'], limit = 200) {
  const { letterRequests } = tablesOf(db);
  return await db
    .select()
    .from(letterRequests)
    .where(eq(letterRequests.status, status))
    .orderBy(desc(letterRequests.createdAt), desc(letterRequests.id))
    .limit(limit);
}

export async function markLetterRequestDone(
  db: DbOrTx,
  id: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  const { letterRequests } = tablesOf(db);
  return (
    changedRows(
      await db
        .update(letterRequests)
        .set({ status: 'done', handledByUserId: userId, handledAt: at })
        .where(and(eq(letterRequests.id, id), eq(letterRequests.status, 'open'))),
    ) === 1
  );
}

export async function findLetterRequest(db: DbOrTx, id: string): Promise<LetterRequestRow | undefined> {
  const { letterRequests } = tablesOf(db);
  return await first(db.select().from(letterRequests).where(eq(letterRequests.id, id)));
}
