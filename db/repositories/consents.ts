import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { consents } from '../schema/index.ts';

export type ConsentKind = (typeof consents.$inferSelect)['kind'];
export type ConsentRow = typeof consents.$inferSelect;

export async function insertConsents(
  db: DbOrTx,
  userId: string,
  kinds: readonly ConsentKind[],
  version: string,
  acceptedAt: Date,
): Promise<void> {
  db.insert(consents)
    .values(kinds.map((kind) => ({ userId, kind, version, acceptedAt })))
    .run();
}

/** A registration repeated before verification replaces the consents given the first time. */
export async function deleteConsentsOfUser(db: DbOrTx, userId: string): Promise<void> {
  db.delete(consents).where(eq(consents.userId, userId)).run();
}

export async function listConsentsOfUser(db: DbOrTx, userId: string): Promise<ConsentRow[]> {
  return db.select().from(consents).where(eq(consents.userId, userId)).all();
}
