import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Statement } from 'better-sqlite3';
import type { Db } from './client.ts';
import type { DbOrTx } from './transaction.ts';

/**
 * A statement built and prepared once per database connection, then reused with placeholder values.
 * Without it drizzle renders the SQL and SQLite compiles it again on every call: ~100–160 µs per
 * query, measured under `npm run bench`, which made a ten-query page cost milliseconds.
 *
 * Keyed by the connection, not the handle: drizzle makes a new handle per transaction
 * (db.transaction → new BetterSQLiteTransaction) over the same session, and a statement prepared
 * on that connection runs inside whatever transaction is open on it — keyed by handle, every
 * transaction compiled its statements again (most of the CPU per live message). Weakly held, so a
 * closed test database takes its statements with it.
 */
export function preparedPerDb<T>(build: (db: DbOrTx) => T): (db: DbOrTx) => T {
  const statements = new WeakMap<object, T>();
  return (db) => {
    const connection = (db as unknown as { session?: object }).session ?? db;
    let statement = statements.get(connection);
    if (statement === undefined) statements.set(connection, (statement = build(db)));
    return statement;
  };
}

/**
 * `column IN (ids)` for any number of ids in one prepared statement: the ids travel as one JSON
 * array parameter (pass `jsonIds(ids)`) and SQLite's json_each table-valued function unpacks them.
 * An empty array matches nothing, like an empty IN list.
 */
export function inJsonIds(column: SQLiteColumn, placeholder: string): SQL {
  return sql`${column} in (select value from json_each(${sql.placeholder(placeholder)}))`;
}

/**
 * `column IN (ids)` for an unprepared query with any number of ids: one JSON array parameter instead
 * of one bound variable per id (SQLite allows 32,766; an ERP load touches tens of thousands).
 */
export function inJsonArray(column: SQLiteColumn, ids: readonly string[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;
}

export function jsonIds(ids: readonly string[]): string {
  return JSON.stringify(ids);
}

interface SnapshotStatements {
  begin: Statement;
  commit: Statement;
  rollback: Statement;
}
const snapshotStatements = new WeakMap<object, SnapshotStatements>();

/**
 * Runs a read-only page's queries in one deferred transaction: one consistent snapshot (a contract
 * and its balance can't straddle a payment being booked) and one WAL read lock instead of one per
 * statement — outside a transaction SQLite takes and drops the lock around every statement, which
 * measured about as much as the lookup itself. `work` must be synchronous and must not write (a
 * deferred read transaction that later writes can fail with SQLITE_BUSY_SNAPSHOT). Inside an open
 * transaction it just runs `work`.
 */
export function inReadSnapshot<T>(db: Db, work: () => T): T {
  const client = db.$client;
  if (client.inTransaction) return work();
  let statements = snapshotStatements.get(client);
  if (!statements) {
    statements = {
      begin: client.prepare('BEGIN DEFERRED'),
      commit: client.prepare('COMMIT'),
      rollback: client.prepare('ROLLBACK'),
    };
    snapshotStatements.set(client, statements);
  }
  statements.begin.run();
  try {
    const result = work();
    statements.commit.run();
    return result;
  } catch (error) {
    if (client.inTransaction) statements.rollback.run();
    throw error;
  }
}
