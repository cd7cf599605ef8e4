import { Hono } from 'hono';
import { staffMessageRequest, staffTicketListQuery, staffTicketPatch } from '../../shared/api/tickets.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import {
  addMessage,
  getTicketDetail,
  listStaffTickets,
  patchStaffTicket,
} from '../services/tickets/index.ts';
import { queryOf } from './tickets.ts';

/** The minimal staff API (API.md "Staff"); tickets outside the staff member's scope are 404. */
export const staffTickets = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', (c) => {
    const query = parseWith(staffTicketListQuery, queryOf(c.req.query()));
    return c.json({ tickets: listStaffTickets(c.get('deps'), c.get('user'), query) });
  })
  .get('/:id', (c) => c.json(getTicketDetail(c.get('deps'), c.get('user'), c.req.param('id'))))
  .patch('/:id', jsonBody(staffTicketPatch), (c) =>
    c.json({ ticket: patchStaffTicket(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  )
  .post('/:id/messages', jsonBody(staffMessageRequest), (c) => {
    const { message, created } = addMessage(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body'));
    return c.json({ message }, created ? 201 : 200);
  });
