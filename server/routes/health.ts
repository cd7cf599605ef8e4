import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.ts';
import { storeKind } from '../../db/repositories/metrics.ts';
import { storageHealth, storageRetryAfterSeconds } from '../lib/storage-errors.ts';

/**
 * `{ ok: true, store, redis }` (API.md) while the database takes writes; 503 with Retry-After and
 * the storage condition when it does not (read-only, full …; on PostgreSQL also `unreachable`
 * while the server is down or restarting), so a load balancer or monitor sees it. The probe runs
 * at most every few seconds, on PostgreSQL a `select 1` with a short timeout
 * (server/lib/storage-errors.ts `storageHealth`).
 *
 * `redis` is `off` without REDIS_URL, else `up` or `down` (a PING within a second). Redis down
 * keeps `ok: true` and 200 on purpose: the instance still serves every request (live delivery
 * across instances falls back to the clients' resync, rate limits count per instance, scheduled
 * jobs wait), and as every instance shares the one Redis, failing the check would take all of
 * them out of the load balancer at once, turning a degraded service into an outage. Monitoring
 * alerts on `redis` (or `portier_redis_up` in /metrics) instead (docs/operations.md "Redis").
 */
export const health = new Hono<AppEnv>().get('/', async (c) => {
  const deps = c.get('deps');
  // API.md "Scale-out": `DATABASE_URL` picks PostgreSQL, else the embedded SQLite.
  const store = storeKind(deps.db);
  const [redis, storage] = await Promise.all([
    deps.redis ? deps.redis.status() : ('off' as const),
    storageHealth(deps.db, deps.now().getTime()),
  ]);
  if (storage) {
    c.header('Retry-After', String(storageRetryAfterSeconds));
    return c.json({ ok: false, storage, store, redis }, 503);
  }
  return c.json({ ok: true, store, redis });
});
