import { sql } from 'drizzle-orm';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { isPostgres } from '../../db/dialect.ts';
import { rateLimitTable } from '../../db/repositories/rate-limits.ts';
import type { Deps } from '../../server/deps.ts';
import { execute } from './raw-sql.ts';

/**
 * Forgets what the limiters of server/auth/rate-limits.ts have counted, all of them or those of one
 * key prefix (`household_invite`), so a test starts with a fresh allowance: on SQLite the rows of
 * the limiter's table, on PostgreSQL (without Redis the limits count in memory) the limiters
 * themselves, replaced by fresh ones with the same options.
 */
export async function forgetRateLimits(deps: Deps, keyPrefix?: string): Promise<void> {
  if (!isPostgres(deps.db)) {
    const table = sql.raw(rateLimitTable);
    await execute(
      deps.db,
      keyPrefix ? sql`DELETE FROM ${table} WHERE key LIKE ${`${keyPrefix}:%`}` : sql`DELETE FROM ${table}`,
    );
    return;
  }
  const limiters = deps.rateLimits as unknown as Record<string, unknown>;
  for (const [name, limiter] of Object.entries(limiters)) {
    if (!(limiter instanceof RateLimiterMemory)) continue;
    if (keyPrefix !== undefined && limiter.keyPrefix !== keyPrefix) continue;
    const { keyPrefix: prefix, points, duration, blockDuration } = limiter;
    limiters[name] = new RateLimiterMemory({ keyPrefix: prefix, points, duration, blockDuration });
  }
}
