import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { preparedRead, tablesOf } from '../dialect.ts';

/** Landlord configuration by key (JSON value); undefined when not set. */
export async function findSetting(db: DbOrTx, key: string): Promise<unknown> {
  return (await settingQuery.get(db, { key }))?.value;
}

// Read on hot pages (contract detail asks whether the residence confirmation is offered): prepared
// once per connection rather than cached, so a changed setting shows at once.
const settingQuery = preparedRead((db, { settings }) =>
  db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, sql.placeholder('key')))
    .prepare(),
);

export async function putSetting(db: DbOrTx, key: string, value: unknown, at: Date): Promise<void> {
  const { settings } = tablesOf(db);
  await db
    .insert(settings)
    .values({ key, value, updatedAt: at })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at } });
}

/** Stores `value` only when the key has none yet; answers the stored value either way. */
export async function ensureSetting(db: DbOrTx, key: string, value: unknown, at: Date): Promise<unknown> {
  const { settings } = tablesOf(db);
  await db
    .insert(settings)
    .values({ key, value, updatedAt: at })
    .onConflictDoNothing({ target: settings.key });
  return await findSetting(db, key);
}
