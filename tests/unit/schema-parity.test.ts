import { Column, getTableName, is } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, IndexedColumn, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as sqliteSchema from '../../db/schema/index.ts';
import * as pgSchema from '../../db/schema-pg/index.ts';

/**
 * db/schema-pg is generated from db/schema (scripts/schema-pg.ts); this keeps the two in step:
 * the same tables, column names, compatible types, nullability, defaults, keys, foreign keys and
 * indexes. Both drizzle configs use `casing: 'snake_case'`, so equal field names are equal SQL
 * names. Each side is reduced to one plain description and compared, so a failure shows the diff.
 */

/** Tables only PostgreSQL's schema describes: SQLite keeps their FTS5 counterparts in hand-written SQL. */
const pgOnly = new Set(['ticket_search_docs', 'ticket_search_pending']);

/** Column types of both dialects in one vocabulary; an unlisted type stays distinct and fails. */
const sqliteTypes: Record<string, string> = {
  SQLiteText: 'text',
  SQLiteTextJson: 'json',
  SQLiteInteger: 'integer',
  SQLiteTimestamp: 'timestamp',
  SQLiteBoolean: 'boolean',
  SQLiteBlobBuffer: 'binary',
  SQLiteReal: 'float',
};
const pgTypes: Record<string, string> = {
  text: 'text',
  jsonb: 'json',
  integer: 'integer',
  bigint: 'integer', // money in minor units and the event log id: 64-bit like SQLite's integer
  'timestamp (3) with time zone': 'timestamp',
  boolean: 'boolean',
  bytea: 'binary',
  'double precision': 'float',
};

type AnyColumn = Column & {
  enumValues?: readonly string[];
  autoIncrement?: boolean;
  generatedIdentity?: unknown;
};

interface Described {
  columns: Record<string, unknown>;
  primaryKey: string[];
  foreignKeys: string[];
  indexes: string[];
  uniques: string[];
}

/**
 * Column names of a key or index (a column, or pg-core's IndexedColumn that names one); an
 * expression (none in the schema yet) reads `sql`.
 */
const names = (columns: readonly unknown[]) =>
  columns.map((column) => {
    if (is(column, Column)) return column.name;
    if (is(column, IndexedColumn) && column.name !== undefined) return column.name;
    return 'sql';
  });

function describeColumn(column: AnyColumn, type: string) {
  return {
    type,
    notNull: column.notNull,
    primary: column.primary,
    unique: column.isUnique,
    default: column.default,
    defaultFn: column.defaultFn !== undefined,
    // SQLite's AUTOINCREMENT and PostgreSQL's identity: ids that only grow.
    generated: column.autoIncrement === true || column.generatedIdentity !== undefined,
    enum: column.enumValues ?? null,
  };
}

type Config = ReturnType<typeof getSqliteTableConfig> | ReturnType<typeof getPgTableConfig>;

function describeTable(config: Config, typeOf: (column: AnyColumn) => string): Described {
  const columns = config.columns as AnyColumn[];
  return {
    columns: Object.fromEntries(
      columns.map((column) => [column.name, describeColumn(column, typeOf(column))]),
    ),
    primaryKey: config.primaryKeys.flatMap((key) => names(key.columns)),
    foreignKeys: config.foreignKeys
      .map((key) => {
        const reference = key.reference();
        const target = `${getTableName(reference.foreignTable)}(${names(reference.foreignColumns).join(',')})`;
        return `${names(reference.columns).join(',')} -> ${target} on delete ${key.onDelete ?? 'no action'}`;
      })
      .sort(),
    indexes: config.indexes
      .map(
        ({ config: index }) =>
          `${index.unique ? 'unique ' : ''}${index.name}(${names(index.columns).join(',')})`,
      )
      .sort(),
    uniques: config.uniqueConstraints
      .map((unique) => `${unique.name}(${names(unique.columns).join(',')})`)
      .sort(),
  };
}

const sqliteTables = new Map(
  Object.values(sqliteSchema).flatMap((value: unknown) =>
    is(value, SQLiteTable) ? [[getTableName(value), value] as const] : [],
  ),
);
const pgTables = new Map(
  Object.values(pgSchema).flatMap((value: unknown) =>
    is(value, PgTable) ? [[getTableName(value), value] as const] : [],
  ),
);

const describeSqlite = (table: SQLiteTable) =>
  describeTable(getSqliteTableConfig(table), (column) => sqliteTypes[column.columnType] ?? column.columnType);
const describePg = (table: PgTable) =>
  describeTable(getPgTableConfig(table), (column) => pgTypes[column.getSQLType()] ?? column.getSQLType());

describe('PostgreSQL schema against SQLite schema', () => {
  it('has the same tables', () => {
    const pgShared = [...pgTables.keys()].filter((name) => !pgOnly.has(name)).sort();
    expect(pgShared).toEqual([...sqliteTables.keys()].sort());
    expect(pgShared.length).toBeGreaterThan(40);
  });

  it.each([...sqliteTables.keys()].sort())(
    '%s: same columns, types, nullability, keys and indexes',
    (name) => {
      const pgTable = pgTables.get(name);
      expect(pgTable, `db/schema-pg has no table ${name}`).toBeDefined();
      expect(describePg(pgTable!)).toEqual(describeSqlite(sqliteTables.get(name)!));
    },
  );

  it('knows every column type it meets (none compared by an unmapped name)', () => {
    const types = new Set(
      [...sqliteTables.values()].flatMap((table) => Object.values(describeSqlite(table).columns)),
    );
    for (const column of types) {
      expect(Object.values(sqliteTypes)).toContain((column as { type: string }).type);
    }
  });
});
