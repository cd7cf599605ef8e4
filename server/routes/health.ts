import { Hono } from 'hono';
import type { AppEnv } from '../lib/context.ts';
import { storageCondition, storageRetryAfterSeconds } from '../lib/storage-errors.ts';

/**
 * `{ ok: true }` (API.md) while the database takes writes; 503 with the storage condition when it
 * does not (read-only, full …), so a load balancer or monitor sees it. The probe runs at most every
 * few seconds (server/lib/storage-errors.ts).
 */
export const health = new Hono<AppEnv>().get('/', (c) => {
  const deps = c.get('deps');
  const storage = storageCondition(deps.db, deps.now().getTime());
  if (storage) {
    c.header('Retry-After', String(storageRetryAfterSeconds));
    return c.json({ ok: false, storage }, 503);
  }
  return c.json({ ok: true });
});
