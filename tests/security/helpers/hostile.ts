import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { isPostgres, rawRows } from '../../../db/dialect.ts';
import { execute } from '../../helpers/raw-sql.ts';

/**
 * Hostile inputs for issue 7 item 4, by family (OWASP WSTG-INPV, "Big List of Naughty Strings").
 * Fixed lists first, so every route sees every family at least once whatever fast-check draws.
 */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  // Lone surrogates (invalid UTF-16; JSON escapes them, UTF-8 cannot encode them).
  '\uD800',
  'x\uDFFFy',
  // Right-to-left override and zero-width characters: spoofing in names and file names.
  '\u202Egnp.exe\u202C',
  '\u200B\u200D\uFEFF',
  // Emoji ZWJ sequence and combining marks: one grapheme, many code units.
  '👩‍👩‍👧‍👦',
  'e\u0301\u0301\u0301',
  "' OR '1'='1",
  "'; DROP TABLE tickets; --",
  '" OR 1=1 --',
  '%_\\',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  '../../../../etc/passwd',
  '%2e%2e%2f%00',
  'NaN',
  '-1',
  '1e309',
  'x'.repeat(70_000),
];

export const hostileValues: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  [],
  {},
  [[[[]]]],
  { nested: { deeper: { deepest: [null] } } },
  ['<script>alert(1)</script>'],
  ...hostileStrings,
];

const deepArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** Raw bodies as sent on the wire: invalid JSON, JSON that is not an object, pollution attempts, size. */
export const hostileRawBodies: readonly string[] = [
  '',
  '{',
  '{"a":',
  '}{',
  'null',
  '[]',
  '"a string"',
  '42',
  'true',
  '\u0000',
  '\uFEFF{}',
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":"yes","isAdmin":true}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  deepArray(10_000),
  deepObject(10_000),
  // 1 MB: far beyond the 64 KB JSON limit (server/lib/body-limit.ts).
  JSON.stringify({ body: 'x'.repeat(1024 * 1024) }),
];

/** Content types the JSON routes must refuse or cope with (never a 5xx). */
export const hostileContentTypes: readonly (string | null)[] = [
  null,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/jsonx',
];

/** Keys that attack object handling rather than values. */
const pollutionKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** An arbitrary hostile value: the fixed families plus whatever fast-check makes of JSON and strings. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...hostileValues),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withNullPrototype: true }),
);

/** Sets a key as an own, enumerable property, even `__proto__` (which `obj[key] = …` would not). */
function withKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
  return target;
}

/**
 * A mutation of a valid body: one field replaced by a hostile value, removed, or an extra
 * (pollution) key added — the shapes that reach the schema's edges instead of failing at once.
 */
export function mutatedBody(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const anyKey = fc.constantFrom(...keys, ...pollutionKeys, 'extra');
  return fc.oneof(
    fc.tuple(anyKey, hostileValue).map(([key, value]) => withKey({ ...valid }, key, value)),
    keys.length > 0
      ? fc.constantFrom(...keys).map((key) => {
          const copy = { ...valid };
          delete copy[key];
          return copy;
        })
      : fc.constant({}),
    hostileValue,
  );
}

/** Tables whose changes a rejected request may legitimately cause (throttles, logs, sessions). */
const volatileTables = new Set([
  'sessions',
  'rate_limits',
  'audit_entries',
  'events',
  'notifications',
  'sqlite_sequence',
  '__drizzle_migrations',
]);

export interface WriteWatch {
  /** Forgets what was recorded so far. */
  reset(): Promise<void>;
  /** The stored tables written since the last reset (volatile tables excepted). */
  changed(): Promise<string[]>;
}

/**
 * Records every INSERT, UPDATE and DELETE on the stored tables with triggers in the test database's
 * schema, so they fire on every connection: the unit of work writes on a connection of its own
 * (server/unit-of-work), and on PostgreSQL on any of the pool's. Stricter than comparing hashes of
 * the tables before and after — a write that puts back the same value still counts — and it costs
 * nothing per request, where hashing the demo database took ~45 ms. Row triggers on both stores, so
 * a statement that changes no row is no write on either.
 */
export async function watchWrites(db: Db): Promise<WriteWatch> {
  return isPostgres(db) ? await watchWritesOnPostgres(db) : watchWritesOnSqlite(db);
}

function watchWritesOnSqlite(db: Db): WriteWatch {
  const sqlite = db.$client;
  // Ordinary tables only: full-text indexes are virtual and shadow tables, kept in step by their own triggers.
  const tables = sqlite
    .prepare(
      "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .pluck()
    .all() as string[];
  sqlite.exec('CREATE TABLE IF NOT EXISTS fuzz_writes (tbl TEXT PRIMARY KEY)');
  for (const table of tables) {
    if (volatileTables.has(table) || table === 'fuzz_writes') continue;
    for (const operation of ['INSERT', 'UPDATE', 'DELETE']) {
      sqlite.exec(
        `CREATE TRIGGER IF NOT EXISTS "fuzz_${table}_${operation}" AFTER ${operation} ON main."${table}"
         BEGIN INSERT OR IGNORE INTO fuzz_writes (tbl) VALUES ('${table}'); END`,
      );
    }
  }
  return {
    reset: () => Promise.resolve(void sqlite.exec('DELETE FROM fuzz_writes')),
    changed: () =>
      Promise.resolve(sqlite.prepare('SELECT tbl FROM fuzz_writes ORDER BY tbl').pluck().all() as string[]),
  };
}

async function watchWritesOnPostgres(db: Db): Promise<WriteWatch> {
  const tables = await rawRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables
         where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  await execute(db, sql`create table if not exists fuzz_writes (tbl text primary key)`);
  await execute(
    db,
    sql`create or replace function fuzz_write() returns trigger language plpgsql as $$
        begin
          insert into fuzz_writes (tbl) values (tg_table_name) on conflict do nothing;
          return null;
        end $$`,
  );
  for (const { name } of tables) {
    if (volatileTables.has(name) || name === 'fuzz_writes') continue;
    await execute(
      db,
      sql`create or replace trigger ${sql.identifier(`fuzz_${name}`)}
          after insert or update or delete on ${sql.identifier(name)}
          for each row execute function fuzz_write()`,
    );
  }
  return {
    reset: () => execute(db, sql`delete from fuzz_writes`),
    changed: async () =>
      (await rawRows<{ tbl: string }>(db, sql`select tbl from fuzz_writes order by tbl`)).map((r) => r.tbl),
  };
}
