import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { consents } from '../schema/index.ts';
import { tablesOf } from '../dialect.ts';

export type ConsentKind = (typeof consents.$inferSelect)['kind'];
export type ConsentRow = typeof consents.$inferSelect;

export async function insertConsents(
  db: DbOrTx,
  userId: string,
  kinds: readonly ConsentKind[],
  version: string,
  acceptedAt: Date,
): Promise<void> {
  const { consents } = tablesOf(db);
  await db.insert(consents).values(kinds.map((kind) => ({ userId, kind, version, acceptedAt })));
}

/** A registration repeated before verification replaces the consents given the first time. */
export async function deleteConsentsOfUser(db: DbOrTx, userId: string): Promise<void> {
  const { consents } = tablesOf(db);
  await db.delete(consents).where(eq(consents.userId, userId));
}

export async function listConsentsOfUser(db: DbOrTx, userId: string): Promise<ConsentRow[]> {
  const { consents } = tablesOf(db);
  return await db.select().from(consents).where(eq(consents.userId, userId));
}
