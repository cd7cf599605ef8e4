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
 * How long a request waits for a connection: a new one to a server that does not answer (a host
 * gone from the network), or a pooled one while all are busy. Then it fails and answers 503 with
 * Retry-After (server/lib/storage-errors.ts) instead of hanging until the client gives up.
 */
export const connectionTimeoutMs = 5_000;

/**
 * Opens PostgreSQL at `url` (`DATABASE_URL`) with the schema and migration history beside
 * SQLite's (db/schema-pg, db/migrations-pg), applying pending migrations unless told not to.
 *
 * A restart or failover of the server ends every connection (57P01, "Connection terminated
 * unexpectedly"). node-postgres reports that as an 'error' event, and an 'error' event nobody
 * listens to ends the process: on the pool for an idle connection (the pool has already dropped
 * it), on the connection itself while it is checked out (a transaction between two statements).
 * Both are listened to here and need nothing more: the statement that meets the lost connection
 * fails with the same error, the request answers 503, the pool drops the connection when it is
 * released and opens new ones once the server is back.
 */
export async function openPostgres(
  url: string,
  options: {
    migrate?: boolean;
    maxConnections?: number;
    /** What pg_stat_activity shows for the pool's connections (an ERP load's own pool). */
    applicationName?: string;
  } = {},
): Promise<PostgresStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(options.applicationName && { application_name: options.applicationName }),
    connectionTimeoutMillis: connectionTimeoutMs,
    // TCP keep-alive: a connection to a server that vanished without closing it (a host down, a
    // network cut) is found dead by the kernel instead of staying open for hours.
    keepAlive: true,
  });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = drizzle({ client: pool, schema, casing: 'snake_case' });
  if (options.migrate !== false) await migrate(db, { migrationsFolder: migrationsFolder('migrations-pg') });
  return { db: db as unknown as Db, pool, close: () => pool.end() };
}

/**
 * Whether PostgreSQL answers a `select 1` within `timeoutMs`, on a pooled connection as requests
 * use them; rejects with the driver's error, or with ETIMEDOUT when no answer came in time (the
 * query goes on and its connection returns to the pool when it ends).
 */
export async function pingPostgres(db: Db, timeoutMs: number): Promise<void> {
  const pool = db.$client as unknown as pg.Pool;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`PostgreSQL did not answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([pool.query('select 1'), timeout]);
  } finally {
    clearTimeout(timer);
  }
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
