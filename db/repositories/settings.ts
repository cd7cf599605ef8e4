import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { settings } from '../schema/index.ts';

/** Landlord configuration by key (JSON value); undefined when not set. */
export function findSetting(db: DbOrTx, key: string): unknown {
  return db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value;
}

export function putSetting(db: DbOrTx, key: string, value: unknown, at: Date): void {
  db.insert(settings)
    .values({ key, value, updatedAt: at })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: at } })
    .run();
}
