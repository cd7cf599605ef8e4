import { and, desc, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../schema/index.ts';
import type { DbOrTx } from '../transaction.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: DbOrTx, values: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  return db.insert(apiKeys).values(values).returning().get();
}

/** Keys that still work, newest first (revoked ones stay in the table for the audit trail). */
export async function listActiveApiKeys(db: DbOrTx): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(isNull(apiKeys.revokedAt)).orderBy(desc(apiKeys.createdAt)).all();
}

export async function findActiveApiKey(db: DbOrTx, id: string): Promise<ApiKeyRow | undefined> {
  return db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .get();
}

export async function revokeApiKey(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  return (
    db
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .run().changes > 0
  );
}

export async function touchApiKey(db: DbOrTx, id: string, at: Date): Promise<void> {
  db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id)).run();
}
