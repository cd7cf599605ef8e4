import type { Db } from './client.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A repository runs on the database or inside a transaction alike. */
export type DbOrTx = Db | Tx;

/**
 * The one transaction helper. better-sqlite3 is synchronous, so the callback must be too:
 * everything a change writes (rows, event-log rows, outbox rows) commits or rolls back together.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => T): T {
  return db.transaction((tx) => work(tx), { behavior: 'immediate' });
}
