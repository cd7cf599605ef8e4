import {
  Column,
  getTableColumns,
  getTableName,
  is,
  NoopLogger,
  Param,
  Placeholder,
  sql,
  SQL,
  Subquery,
} from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { PgDatabase } from 'drizzle-orm/pg-core';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Database, Statement } from 'better-sqlite3';
import type { Db } from './client.ts';
import type { DbOrTx } from './transaction.ts';

const dialects = new WeakMap<object, boolean>();

/** Whether a handle writes to PostgreSQL, remembered per handle: drizzle's `is` walks the class chain. */
export function isPostgresHandle(db: DbOrTx): boolean {
  let postgres = dialects.get(db);
  if (postgres === undefined) dialects.set(db, (postgres = is(db, PgDatabase)));
  return postgres;
}

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

/** drizzle's prepared select on better-sqlite3, as far as `fastRowReader` reads it. */
interface DrizzleSqlitePrepared {
  stmt?: Statement;
  fields?: { path: string[]; field: unknown }[];
  joinsNotNullableMap?: Record<string, boolean>;
  customResultMapper?: unknown;
  logger?: unknown;
  query?: { params: unknown[] };
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

interface ReadColumn {
  path: string[];
  /** The column's or expression's decoder; null where it hands the driver value through unchanged. */
  decode: ((value: unknown) => unknown) | null;
  /** For a table column at depth two: its table, which a left join may null out as a whole. */
  table: string | null;
}

/** What a prepared read offers: `get` and `all` with placeholder values. */
export interface RowReader<Row> {
  all(values?: Record<string, unknown>): Row[];
  get(values?: Record<string, unknown>): Row | undefined;
}

/**
 * The rows of a drizzle select prepared on better-sqlite3, mapped by a plan made once per
 * statement. drizzle maps every row generically (`mapResultRow`: per cell an entity check of the
 * field, its decoder looked up, the path walked; per call the placeholders looked up the same way),
 * which measured as much CPU as SQLite's own work on the pages' small reads. The plan does the
 * same as drizzle, in the same order: each driver value through its column's decoder (dates, JSON,
 * booleans; skipped where the decoder is the identity), nested objects by the field paths, and a
 * left-joined table's object null when its first column is null. Null (use drizzle's own path) for
 * anything else: relational queries, a query logger, or internals that no longer look as expected.
 */
export function fastRowReader<Row>(prepared: unknown): RowReader<Row> | null {
  const { stmt, fields, joinsNotNullableMap, customResultMapper, logger, query } =
    prepared as DrizzleSqlitePrepared;
  if (!stmt || !fields || customResultMapper || !query || !is(logger, NoopLogger)) return null;
  const params: ({ value: unknown } | { name: string; encode: ((value: unknown) => unknown) | null })[] = [];
  for (const param of query.params) {
    if (is(param, Placeholder)) params.push({ name: param.name, encode: null });
    else if (is(param, Param) && is(param.value, Placeholder)) {
      const encoder = param.encoder as { mapToDriverValue(value: unknown): unknown };
      params.push({ name: param.value.name, encode: (value) => encoder.mapToDriverValue(value) });
    } else params.push({ value: param });
  }
  // A column type without a decoder of its own (text, plain integers) hands driver values through.
  const identity: unknown = Reflect.get(Column.prototype, 'mapFromDriverValue');
  const columns: ReadColumn[] = [];
  for (const { path, field } of fields) {
    // drizzle's own choice of decoder (`decoder` is internal to its SQL objects).
    const decoderOf = (expression: unknown) => (expression as { decoder: Decoder }).decoder;
    let decoder: Decoder;
    if (is(field, Column)) decoder = field;
    else if (is(field, SQL)) decoder = decoderOf(field);
    else if (is(field, Subquery)) decoder = decoderOf(field._.sql);
    else decoder = decoderOf((field as SQL.Aliased).sql);
    columns.push({
      path,
      decode:
        Reflect.get(decoder, 'mapFromDriverValue') === identity
          ? null
          : (value) => decoder.mapFromDriverValue(value),
      table: joinsNotNullableMap && is(field, Column) && path.length === 2 ? getTableName(field.table) : null,
    });
  }
  stmt.raw(true);

  const valuesOf = (values: Record<string, unknown> = {}) => {
    const out = new Array<unknown>(params.length);
    for (let index = 0; index < params.length; index++) {
      const param = params[index]!;
      if ('value' in param) {
        out[index] = param.value;
        continue;
      }
      if (!(param.name in values)) throw new Error(`No value for placeholder "${param.name}" was provided`);
      out[index] = param.encode ? param.encode(values[param.name]) : values[param.name];
    }
    return out;
  };
  const mapRow = (row: unknown[]): Row => {
    const result: Record<string, unknown> = {};
    let nullify: Record<string, string | false> | undefined;
    for (let index = 0; index < columns.length; index++) {
      const { path, decode, table } = columns[index]!;
      let node = result;
      const last = path.length - 1;
      for (let depth = 0; depth < last; depth++) {
        const key = path[depth]!;
        node = (node[key] ??= {}) as Record<string, unknown>;
      }
      const raw = row[index];
      const value = raw === null ? null : decode ? decode(raw) : raw;
      node[path[last]!] = value;
      if (table !== null) {
        const object = path[0]!;
        nullify ??= {};
        const seen = nullify[object];
        if (seen === undefined) nullify[object] = value === null ? table : false;
        else if (typeof seen === 'string' && seen !== table) nullify[object] = false;
      }
    }
    if (nullify) {
      for (const object in nullify) {
        const table = nullify[object];
        if (typeof table === 'string' && !joinsNotNullableMap![table]) result[object] = null;
      }
    }
    return result as Row;
  };
  return {
    get(values) {
      // Spread, as drizzle passes them: one argument per parameter.
      const row = stmt.get(...valuesOf(values)) as unknown[] | undefined;
      return row === undefined ? undefined : mapRow(row);
    },
    all(values) {
      const rows = stmt.all(...valuesOf(values)) as unknown[][];
      const out = new Array<Row>(rows.length);
      for (let index = 0; index < rows.length; index++) out[index] = mapRow(rows[index]!);
      return out;
    },
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
  if (isPostgresHandle(db)) return await work();
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
