import { Hono } from 'hono';
import { staffNoticeCreate, staffNoticePatch, staffNoticeReach } from '../../shared/api/staff-notices.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  countNoticeReach,
  createStaffNotice,
  deleteStaffNotice,
  listPlacesForStaff,
  listStaffNotices,
  patchStaffNotice,
} from '../services/notices/staff.ts';

/** The console's notice board (issue 5 item 4); notices outside the staff scope are 404. */
export const staffNotices = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', async (c) => c.json({ notices: await listStaffNotices(c.get('deps'), c.get('user')) }))
  .get('/places', async (c) => c.json(await listPlacesForStaff(c.get('deps'), c.get('user'))))
  .post('/', jsonBody(staffNoticeCreate), async (c) =>
    c.json({ notice: await createStaffNotice(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .post('/reach', jsonBody(staffNoticeReach), async (c) =>
    c.json({ reach: await countNoticeReach(c.get('deps'), c.get('user'), c.get('body')) }),
  )
  .patch('/:id', jsonBody(staffNoticePatch), async (c) =>
    c.json({
      notice: await patchStaffNotice(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    }),
  )
  .delete('/:id', async (c) => {
    await deleteStaffNotice(c.get('deps'), c.get('user'), c.req.param('id'));
    return c.body(null, 204);
  });
