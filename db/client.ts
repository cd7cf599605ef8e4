import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema/index.ts';
import { migrationsFolder } from './migrations-folder.ts';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema> & { $client: Database.Database };

export interface OpenOptions {
  /** Apply pending drizzle-kit migrations (default true). */
  migrate?: boolean;
}

/**
 * Opens the SQLite file with the durability settings of DESIGN.md: WAL, synchronous=FULL
 * (an acknowledged write survives power loss), foreign keys on, and a busy timeout so a
 * second process (worker, backup) waits instead of failing.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db: Db = drizzle({ client: sqlite, schema, casing: 'snake_case' });
  if (options.migrate !== false) {
    migrate(db, { migrationsFolder: migrationsFolder() });
  }
  return db;
}
