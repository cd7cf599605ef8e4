import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';
import { isPostgres } from './dialect.ts';

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** A repository runs on the database or inside a transaction alike. */
export type DbOrTx = Db | Tx;

/**
 * A transaction on a connection nothing else uses meanwhile. Not for services: a service changes
 * state only in a unit of work (server/unit-of-work), which writes on its own connection under a
 * mutex, projects the recorded domain events and publishes after COMMIT. What uses this: an ERP
 * load's bookkeeping and its streamed writes on the import's own connection (services/import/run.ts),
 * the demo seed before the server listens, and test fixtures. The repositories are async over the
 * synchronous driver, so any other statement on the connection during an await would land inside
 * this transaction: hence a connection of its own.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => T | Promise<T>): Promise<T> {
  if (isPostgres(db)) {
    // PostgreSQL: a transaction has a pooled connection of its own anyway.
    return await asPostgres(db).transaction(async (tx) => await work(tx as unknown as Tx));
  }
  const client = db.$client;
  if (client.inTransaction) throw new Error('inTransaction needs a connection of its own');
  client.prepare('BEGIN IMMEDIATE').run();
  try {
    const result = await work(db as unknown as Tx);
    client.prepare('COMMIT').run();
    return result;
  } catch (error) {
    if (client.inTransaction) client.prepare('ROLLBACK').run();
    throw error;
  }
}

type PgDb = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;
const asPostgres = (db: DbOrTx) => db as unknown as PgDb;

/**
 * PostgreSQL only: a SERIALIZABLE transaction, for the unit of work (server/unit-of-work/postgres.ts
 * says why). PostgreSQL may refuse it at any statement or at COMMIT for a concurrent one
 * (SQLSTATE 40001); the caller runs it again.
 */
export async function inSerializableTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return await asPostgres(db).transaction(async (tx) => await work(tx as unknown as Tx), {
    isolationLevel: 'serializable',
  });
}

/**
 * PostgreSQL only: waits until no other transaction may append to the event log, until this one
 * ends. Sequence values are handed out outside transactions, so without it a smaller id could
 * commit after a larger one was read by a resyncing client ("everything after id N").
 */
export async function lockEventLog(tx: Tx): Promise<void> {
  await asPostgres(tx).execute(sql`select pg_advisory_xact_lock(hashtext('portier.event_log'))`);
}

/**
 * PostgreSQL only, as a unit of work's first statements: waits until no other unit is open, until
 * this one ends, and (given `lockTimeoutMs`) gives up after it with SQLSTATE 55P03 (lock_not_available, a
 * storage condition: 503 with Retry-After). LOCK TABLE is the one statement that waits before the
 * transaction's snapshot is taken (postgresql.org/docs/current/sql-lock.html), so the unit starts
 * from the last one's committed state, and units that touch the same rows (a burst of messages to
 * one ticket on several instances) queue instead of refusing each other under SERIALIZABLE until
 * their retries run out. SHARE ROW EXCLUSIVE on the event log conflicts with itself and with
 * appends to the log, not with reads (a resync reads on). SET takes no snapshot either, and SET
 * LOCAL ends with the transaction; it takes no parameter, hence the checked integer.
 */
export async function queueForUnitOfWork(tx: Tx, lockTimeoutMs?: number): Promise<void> {
  if (lockTimeoutMs !== undefined) {
    if (!Number.isSafeInteger(lockTimeoutMs) || lockTimeoutMs < 1) throw new Error('invalid lock timeout');
    await asPostgres(tx).execute(sql.raw(`set local lock_timeout = ${lockTimeoutMs}`));
  }
  await asPostgres(tx).execute(sql`lock table events in share row exclusive mode`);
}

/**
 * The transaction an ERP load writes in, on the load's own connection (services/import/run.ts).
 * SQLite: BEGIN IMMEDIATE, the write lock for the whole load, as `inTransaction`. PostgreSQL: it
 * first queues on the event log like a unit of work, without a time limit, and holds that lock to
 * its end: units wait for the load as they wait for each other, and the event rows of the
 * documents it publishes get their ids in commit order. Without it a unit holding the log's table
 * lock and a load holding the log's advisory lock (db/repositories/events.ts) would wait for each
 * other until PostgreSQL broke the deadlock, possibly by ending the load.
 */
export async function inLoadTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) return await inTransaction(db, work);
  return await asPostgres(db).transaction(async (pgTx) => {
    const tx = pgTx as unknown as Tx;
    await queueForUnitOfWork(tx);
    return await work(tx);
  });
}
