import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { letterRequests } from '../schema/index.ts';

export type LetterRequestRow = typeof letterRequests.$inferSelect;
export type NewLetterRequestRow = typeof letterRequests.$inferInsert;

export async function insertLetterRequest(
  db: DbOrTx,
  values: NewLetterRequestRow,
): Promise<LetterRequestRow> {
  return db.insert(letterRequests).values(values).returning().get();
}

/** Newest first; open ones are the staff's to-do list. */
export async function listLetterRequests(db: DbOrTx, status: LetterRequestRow['status'], limit = 200) {
  return db
    .select()
    .from(letterRequests)
    .where(eq(letterRequests.status, status))
    .orderBy(desc(letterRequests.createdAt))
    .limit(limit)
    .all();
}

export async function markLetterRequestDone(
  db: DbOrTx,
  id: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  return (
    db
      .update(letterRequests)
      .set({ status: 'done', handledByUserId: userId, handledAt: at })
      .where(and(eq(letterRequests.id, id), eq(letterRequests.status, 'open')))
      .run().changes === 1
  );
}

export async function findLetterRequest(db: DbOrTx, id: string): Promise<LetterRequestRow | undefined> {
  return db.select().from(letterRequests).where(eq(letterRequests.id, id)).get();
}
