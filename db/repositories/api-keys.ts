import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../schema/index.ts';
import type { DbOrTx } from '../transaction.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export function insertApiKey(db: DbOrTx, values: typeof apiKeys.$inferInsert): ApiKeyRow {
  return db.insert(apiKeys).values(values).returning().get();
}

/** Keys that still work, newest first (revoked ones stay in the table for the audit trail). */
export function listActiveApiKeys(db: DbOrTx): ApiKeyRow[] {
  return db.select().from(apiKeys).where(isNull(apiKeys.revokedAt)).orderBy(desc(apiKeys.createdAt)).all();
}

export function findActiveApiKey(db: DbOrTx, id: string): ApiKeyRow | undefined {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .get();
}

export function revokeApiKey(db: DbOrTx, id: string, at: Date): boolean {
  return (
    db
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .run().changes > 0
  );
}

export function touchApiKey(db: DbOrTx, id: string, at: Date): void {
  db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id)).run();
}
