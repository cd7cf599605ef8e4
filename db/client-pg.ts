import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema-pg/index.ts';
import { migrationsFolder } from './migrations-folder.ts';
import type { Db } from './client.ts';

export interface PostgresStore {
  /** The handle repositories take: typed as SQLite's (db/dialect.ts says why that holds). */
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

/**
 * Opens PostgreSQL at `url` (`DATABASE_URL`) with the schema and migration history beside
 * SQLite's (db/schema-pg, db/migrations-pg), applying pending migrations unless told not to.
 */
export async function openPostgres(
  url: string,
  options: { migrate?: boolean; maxConnections?: number } = {},
): Promise<PostgresStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  const db = drizzle({ client: pool, schema, casing: 'snake_case' });
  if (options.migrate !== false) await migrate(db, { migrationsFolder: migrationsFolder('migrations-pg') });
  return { db: db as unknown as Db, pool, close: () => pool.end() };
}

/**
 * Empties the database at `url` for the demo (`npm run demo` resets whichever store it is given,
 * API.md "Scale-out"): the schema `public` with every table, type and sequence in it, and drizzle's
 * migration history (schema `drizzle`), so the next `openPostgres` migrates from scratch. Only the
 * demo calls this; `npm start` never does.
 */
export async function resetPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('drop schema if exists drizzle cascade');
    await client.query('drop schema if exists public cascade');
    await client.query('create schema public');
  } finally {
    await client.end();
  }
}
