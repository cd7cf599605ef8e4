import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { settings } from '../schema/index.ts';
import { preparedPerDb } from '../prepared.ts';

/** Landlord configuration by key (JSON value); undefined when not set. */
export async function findSetting(db: DbOrTx, key: string): Promise<unknown> {
  return settingQuery(db).get({ key })?.value;
}

// Read on hot pages (contract detail asks whether the residence confirmation is offered): prepared
// once per db rather than cached, so a changed setting shows at once.
const settingQuery = preparedPerDb((db) =>
  db
    .select({ value: settings.value })
    .from(settings)
    .where(eq(settings.key, sql.placeholder('key')))
    .prepare(),
);

export async function putSetting(db: DbOrTx, key: string, value: unknown, at: Date): Promise<void> {
  db.insert(settings)
    .values({ key, value, updatedAt: at })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at } })
    .run();
}

/** Stores `value` only when the key has none yet; answers the stored value either way. */
export async function ensureSetting(db: DbOrTx, key: string, value: unknown, at: Date): Promise<unknown> {
  db.insert(settings)
    .values({ key, value, updatedAt: at })
    .onConflictDoNothing({ target: settings.key })
    .run();
  return await findSetting(db, key);
}
