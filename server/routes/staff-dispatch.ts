import { Hono } from 'hono';
import { dispatchRequest } from '../../shared/api/dispatch.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import { dispatchTicket, listJobsOfTicket, withdrawDispatch } from '../services/repairs/dispatch.ts';

/**
 * `/api/staff/tickets/:id/dispatch`: a ticket's contractor jobs (issue 20 item 2). Staff who see
 * the ticket; anyone else's ticket id answers 404 like a missing one. Mounted beside the other
 * /staff/tickets routes, so the staff check sits on each route, not on `*`.
 */
export const staffDispatch = new Hono<AppEnv>()
  .get('/:id/dispatch', requireStaff, async (c) =>
    c.json(await listJobsOfTicket(c.get('deps'), c.get('user'), c.req.param('id'))),
  )
  .post('/:id/dispatch', requireStaff, jsonBody(dispatchRequest), async (c) =>
    c.json(
      { job: await dispatchTicket(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) },
      201,
    ),
  )
  .delete('/:id/dispatch/:jobLinkId', requireStaff, async (c) =>
    c.json({
      job: await withdrawDispatch(c.get('deps'), c.get('user'), c.req.param('id'), c.req.param('jobLinkId')),
    }),
  );
