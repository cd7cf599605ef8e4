import { Hono } from 'hono';
import { cannedReplyCreate, cannedReplyPatch } from '../../shared/api/staff.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  createCannedReply,
  listCannedRepliesFor,
  patchCannedReply,
  removeCannedReply,
} from '../services/tickets/staff-canned.ts';

/** Canned replies per team (issue 5 item 2): team members and admins; other teams' replies are 404. */
export const staffCannedReplies = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', async (c) => c.json({ replies: await listCannedRepliesFor(c.get('deps'), c.get('user')) }))
  .post('/', jsonBody(cannedReplyCreate), async (c) =>
    c.json({ reply: await createCannedReply(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .patch('/:id', jsonBody(cannedReplyPatch), async (c) =>
    c.json({ reply: await patchCannedReply(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  )
  .delete('/:id', async (c) => {
    await removeCannedReply(c.get('deps'), c.get('user'), c.req.param('id'));
    return c.body(null, 204);
  });
