import { and, desc, eq, isNull } from 'drizzle-orm';
import type { apiKeys } from '../schema/index.ts';
import { changedRows, first, tablesOf } from '../dialect.ts';
import type { DbOrTx } from '../transaction.ts';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(db: DbOrTx, values: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
  const { apiKeys } = tablesOf(db);
  return (await first(db.insert(apiKeys).values(values).returning()))!;
}

/** Keys that still work, newest first (revoked ones stay in the table for the audit trail). */
export async function listActiveApiKeys(db: DbOrTx): Promise<ApiKeyRow[]> {
  const { apiKeys } = tablesOf(db);
  return await db
    .select()
    .from(apiKeys)
    .where(isNull(apiKeys.revokedAt))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}

export async function findActiveApiKey(db: DbOrTx, id: string): Promise<ApiKeyRow | undefined> {
  const { apiKeys } = tablesOf(db);
  return await first(
    db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))),
  );
}

export async function revokeApiKey(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const { apiKeys } = tablesOf(db);
  return (
    changedRows(
      await db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))),
    ) > 0
  );
}

export async function touchApiKey(db: DbOrTx, id: string, at: Date): Promise<void> {
  const { apiKeys } = tablesOf(db);
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}
