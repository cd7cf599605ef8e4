import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import * as sqliteTables from './schema/index.ts';
import * as pgTables from './schema-pg/index.ts';
import { fastRowReader, inJsonIds, isPostgresHandle, preparedPerDb } from './prepared.ts';
import type { DbOrTx } from './transaction.ts';

/*
 * One repository code for both stores (issue 19). A repository takes a handle (`DbOrTx`) and asks
 * it for its tables; it writes drizzle's query builders and awaits them, which runs them on
 * better-sqlite3 (synchronously underneath) or on PostgreSQL alike. What differs between the
 * stores stays here: the tables of the handle's dialect, the first row, the count of changed rows,
 * and prepared statements.
 *
 * A PostgreSQL handle travels typed as the SQLite one: the PostgreSQL schema is generated from
 * SQLite's (scripts/schema-pg.ts) and tests/unit/schema-parity.test.ts holds the two equal, so the
 * rows, columns and query builders a repository uses have the same shapes on both.
 */

/** The tables of a store, typed as SQLite's (the description both schemas come from). */
export type Tables = typeof sqliteTables;

export function isPostgres(db: DbOrTx): boolean {
  return isPostgresHandle(db);
}

/** The tables of the store the handle writes to. */
export function tablesOf(db: DbOrTx): Tables {
  return isPostgres(db) ? (pgTables as unknown as Tables) : sqliteTables;
}

/** The first row a query answers, or undefined. */
export async function first<Row>(rows: PromiseLike<Row[]>): Promise<Row | undefined> {
  return (await rows)[0];
}

/** How many rows an insert, update or delete changed: better-sqlite3's `changes`, node-postgres's `rowCount`. */
export function changedRows(result: unknown): number {
  const { changes, rowCount } = result as { changes?: number; rowCount?: number | null };
  return changes ?? rowCount ?? 0;
}

/** What a query prepared on better-sqlite3 offers; on PostgreSQL drizzle's prepared query has `execute`. */
interface PreparedRead<Row> {
  all(values?: Record<string, unknown>): Row[];
  get(values?: Record<string, unknown>): Row | undefined;
}

/**
 * A read built once per connection and run with placeholder values (`sql.placeholder('name')`), on
 * either store: on SQLite a statement compiled once (db/prepared.ts says why that matters on hot
 * paths), on PostgreSQL drizzle's prepared query of the handle's own session, so inside a
 * transaction it runs in that transaction.
 */
export function preparedRead<Row>(build: (db: DbOrTx, tables: Tables) => PreparedRead<Row>) {
  // On SQLite the rows are mapped by a plan made once per statement (db/prepared.ts says why).
  const perConnection = preparedPerDb((db) => {
    const query = build(db, tablesOf(db));
    return isPostgres(db) ? query : (fastRowReader<Row>(query) ?? query);
  });
  const onPostgres = (query: PreparedRead<Row>) =>
    query as unknown as { execute(values?: Record<string, unknown>): Promise<Row[]> };
  return {
    async all(db: DbOrTx, values?: Record<string, unknown>): Promise<Row[]> {
      const query = perConnection(db);
      return isPostgres(db) ? await onPostgres(query).execute(values) : query.all(values);
    },
    async get(db: DbOrTx, values?: Record<string, unknown>): Promise<Row | undefined> {
      const query = perConnection(db);
      return isPostgres(db) ? (await onPostgres(query).execute(values))[0] : query.get(values);
    },
  };
}

/** A statement built once per connection that changes rows and answers none, on either store. */
export function preparedWrite(
  build: (db: DbOrTx, tables: Tables) => { run(values?: Record<string, unknown>): unknown },
) {
  const perConnection = preparedPerDb((db) => build(db, tablesOf(db)));
  return async (db: DbOrTx, values: Record<string, unknown>): Promise<void> => {
    const query = perConnection(db);
    // On PostgreSQL drizzle's prepared query runs with `execute`, in the handle's own session.
    if (isPostgres(db))
      await (query as unknown as { execute(values: Record<string, unknown>): Promise<unknown> }).execute(
        values,
      );
    else query.run(values);
  };
}

/** The rows of a raw statement: better-sqlite3's `all`, node-postgres's `execute(…).rows`. */
export async function rawRows<Row>(db: DbOrTx, query: SQL): Promise<Row[]> {
  if (!isPostgres(db)) return db.all<Row>(query);
  const pg = db as unknown as { execute(query: SQL): Promise<{ rows: Row[] }> };
  return (await pg.execute(query)).rows;
}

/**
 * `column IN (ids)` in a prepared read, for any number of ids: they travel as one JSON array
 * placeholder (pass `jsonIds(ids)`), unpacked by SQLite's json_each (db/prepared.ts) or
 * PostgreSQL's jsonb_array_elements_text. An empty array matches nothing.
 */
export function inJsonIdList(db: DbOrTx, column: SQLiteColumn, placeholder: string): SQL {
  return isPostgres(db)
    ? sql`${column} in (select jsonb_array_elements_text(${sql.placeholder(placeholder)}::jsonb))`
    : inJsonIds(column, placeholder);
}

/** `column IN (ids)` in an unprepared query: one JSON array parameter, however many ids. */
export function inIdArray(db: DbOrTx, column: SQLiteColumn | SQL, ids: readonly string[]): SQL {
  return isPostgres(db)
    ? sql`${column} in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`
    : sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;
}

/**
 * The due rows a claim selects, locked on PostgreSQL with `FOR UPDATE SKIP LOCKED`: a claim on
 * another instance skips the rows this one is taking instead of waiting and taking them again, and
 * a row claimed meanwhile is checked again against the claim's conditions (no longer due, left
 * out). On SQLite the claim is one statement of the only writer and stays as it is.
 */
export function lockedSkippingLocked<Query>(db: DbOrTx, query: Query): Query {
  if (!isPostgres(db)) return query;
  const select = query as unknown as { for(strength: 'update', config: { skipLocked: boolean }): unknown };
  return select.for('update', { skipLocked: true }) as Query;
}
