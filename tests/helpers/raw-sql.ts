import type { SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { isPostgres } from '../../db/dialect.ts';

/**
 * Runs a statement that answers no rows on either store (test set-up: triggers, corrupting a row on
 * purpose); db/dialect.ts `rawRows` reads. Raw SQL only where drizzle has no builder for it.
 */
export async function execute(db: Db, statement: SQL): Promise<void> {
  if (isPostgres(db)) await (db as unknown as { execute(query: SQL): Promise<unknown> }).execute(statement);
  else db.run(statement);
}
