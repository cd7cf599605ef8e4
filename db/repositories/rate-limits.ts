import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { isPostgres } from '../dialect.ts';

/** The table rate-limiter-flexible's RateLimiterSQLite reads and writes (its own layout). */
export const rateLimitTable = 'rate_limits';

/** Not part of the drizzle schema: the library's store, created by server/auth/rate-limits.ts. */
export async function deleteExpiredRateLimits(db: Db, nowMs: number): Promise<void> {
  // The table is the embedded limiter's, made in the SQLite file only; a PostgreSQL store has none
  // to sweep (its limits count elsewhere, and Redis expires its own keys).
  if (isPostgres(db)) return;
  db.run(sql`DELETE FROM ${sql.raw(rateLimitTable)} WHERE expire < ${nowMs}`);
}
