import { getTableColumns, getTableName, is, sql, SQL } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { PgDatabase } from 'drizzle-orm/pg-core';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database, Statement } from 'better-sqlite3';
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

interface Snapshot {
  begin: Statement;
  commit: Statement;
  rollback: Statement;
  /** The reads now inside the open snapshot; the last one out commits it. */
  readers: number;
}
const snapshots = new WeakMap<object, Snapshot>();

/**
 * Runs a read-only page's queries in one deferred transaction: one consistent snapshot (a contract
 * and its balance can't straddle a payment being booked) and one WAL read lock instead of one per
 * statement — outside a transaction SQLite takes and drops the lock around every statement, which
 * measured about as much as the lookup itself. `work` must not write (a deferred read transaction
 * that later writes can fail with SQLITE_BUSY_SNAPSHOT) and must not wait for I/O: the
 * repositories over the synchronous driver resolve in microtasks, so a snapshot lasts one turn of
 * the event loop. Reads of other requests that run meanwhile on the connection share the snapshot
 * (one committed state, taken moments earlier); the last one out commits it. Inside a transaction
 * the snapshot did not open (a write on an in-memory database) it just runs `work`.
 *
 * On PostgreSQL the reads of `work` go to the pool's connections, each statement at READ COMMITTED
 * with a snapshot of its own: pages there read a committed state per statement, not per page.
 */
export async function inReadSnapshot<T>(db: Db, work: () => T | Promise<T>): Promise<T> {
  if (is(db, PgDatabase)) return await work();
  const client = db.$client;
  let snapshot = snapshots.get(client);
  if (!snapshot) {
    snapshot = {
      begin: client.prepare('BEGIN DEFERRED'),
      commit: client.prepare('COMMIT'),
      rollback: client.prepare('ROLLBACK'),
      readers: 0,
    };
    snapshots.set(client, snapshot);
  }
  if (snapshot.readers === 0) {
    if (client.inTransaction) return work();
    snapshot.begin.run();
  }
  snapshot.readers += 1;
  let failed = false;
  try {
    return await work();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    snapshot.readers -= 1;
    if (snapshot.readers === 0 && client.inTransaction) {
      // A read that failed rolls back: nothing was written, and a broken statement leaves no lock.
      (failed ? snapshot.rollback : snapshot.commit).run();
    }
  }
}

/** The better-sqlite3 connection under a database handle or a transaction handle. */
export function connectionOf(db: DbOrTx): Database {
  return '$client' in db ? db.$client : (db as unknown as { session: { client: Database } }).session.client;
}

interface InsertPlan {
  columns: [key: string, column: SQLiteColumn, name: string][];
  statements: Map<number, Statement>;
}
const insertPlansOf = preparedPerDb(() => new Map<SQLiteTable, InsertPlan>());

/**
 * Inserts many rows of one table with one prepared statement per column set: the rows of an ERP
 * load run into the millions, and drizzle renders the SQL of every INSERT anew (half of a load's
 * time, measured with --cpu-prof). Values are encoded by the columns as drizzle would
 * (`mapToDriverValue`: dates, JSON, booleans); a missing value takes the column's default, its
 * `$defaultFn`, or, for an SQL default, is left to the database.
 */
export function insertRows(db: DbOrTx, table: SQLiteTable, rows: readonly object[]): void {
  if (rows.length === 0) return;
  const client = connectionOf(db);
  const plans = insertPlansOf(db);
  let plan = plans.get(table);
  if (!plan) {
    plan = {
      // Generated columns are never inserted (drizzle's own rule).
      columns: Object.entries(getTableColumns(table))
        .filter(([, column]) => !column.generated)
        // The database is opened with drizzle's snake_case casing (client.ts): a column named by its
        // key is stored snake_cased, one given an explicit name keeps it.
        .map(([key, column]) => [key, column, column.keyAsName ? toSnakeCase(column.name) : column.name]),
      statements: new Map(),
    };
    plans.set(table, plan);
  }
  const { columns, statements } = plan;
  // Which columns a row fills, as bits: rows of one load share one or two shapes, so the key is cheap.
  const values: unknown[] = [];
  for (const row of rows as Record<string, unknown>[]) {
    let shape = 0;
    values.length = 0;
    for (let index = 0; index < columns.length; index++) {
      const column = columns[index]![1];
      let value = row[columns[index]![0]];
      if (value === undefined) {
        if (column.default !== undefined && column.default !== null) {
          if (is(column.default, SQL)) continue;
          value = column.default;
        } else if (column.defaultFn) {
          value = column.defaultFn();
          if (is(value, SQL)) continue;
        } else value = null;
      }
      shape += 2 ** index;
      values.push(value === null ? null : column.mapToDriverValue(value));
    }
    let statement = statements.get(shape);
    if (!statement) {
      const names = columns
        .filter((_, index) => Math.floor(shape / 2 ** index) % 2 === 1)
        .map(([, , name]) => `"${name}"`);
      statement = client.prepare(
        `insert into "${getTableName(table)}" (${names.join(', ')}) values (${names.map(() => '?').join(', ')})`,
      );
      statements.set(shape, statement);
    }
    statement.run(values);
  }
}
