import type { Db } from './client.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A repository runs on the database or inside a transaction alike. */
export type DbOrTx = Db | Tx;

/**
 * A synchronous transaction on one connection. Not for services: a service changes state only in
 * a unit of work (server/unit-of-work), which writes on its own connection, projects the recorded
 * domain events and publishes after COMMIT. What still uses this: an ERP load's bookkeeping on its
 * own connection (services/import/run.ts), the demo seed and test fixtures. better-sqlite3 is synchronous, so the
 * callback must be too.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => T): T {
  return db.transaction((tx) => work(tx), { behavior: 'immediate' });
}

/**
 * A transaction that awaits between its writes, for the one job that needs it: an ERP load reads
 * its files as a stream while it writes, and all of it commits or rolls back as one. Only on a
 * connection nothing else uses meanwhile (the import's worker thread or its own process): any
 * other statement on the connection during an await would land inside this transaction.
 */
export async function inAsyncTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  const client = db.$client;
  if (client.inTransaction) throw new Error('inAsyncTransaction needs a connection of its own');
  client.prepare('BEGIN IMMEDIATE').run();
  try {
    const result = await work(db);
    client.prepare('COMMIT').run();
    return result;
  } catch (error) {
    if (client.inTransaction) client.prepare('ROLLBACK').run();
    throw error;
  }
}
