import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { listNotices, readNotice } from '../services/notices/tenant.ts';

/** The tenant's notice board (seed 001). Staff publishing (`POST /staff/notices`) is another route. */
export const notices = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => c.json({ notices: await listNotices(c.get('deps'), c.get('user')) }))
  .post('/:id/read', async (c) => {
    await readNotice(c.get('deps'), c.get('user'), c.req.param('id'));
    return c.json({ ok: true });
  });
