import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';

/** The table rate-limiter-flexible's RateLimiterSQLite reads and writes (its own layout). */
export const rateLimitTable = 'rate_limits';

/**
 * Creates the limiter table with exactly the DDL RateLimiterSQLite would run itself, but
 * synchronously, so limiters can be built with `tableCreated: true` and never race their own
 * asynchronous table creation. Not part of the drizzle schema: it is the library's store.
 */
export function ensureRateLimitTable(db: Db): void {
  db.run(
    sql.raw(
      `CREATE TABLE IF NOT EXISTS ${rateLimitTable} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`,
    ),
  );
}

export function deleteExpiredRateLimits(db: Db, nowMs: number): void {
  db.run(sql`DELETE FROM ${sql.raw(rateLimitTable)} WHERE expire < ${nowMs}`);
}
