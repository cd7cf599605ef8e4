import { Hono } from 'hono';
import {
  linkIncidentRequest,
  mergeTicketRequest,
  staffInboxQuery,
  staffTicketPatchRequest,
} from '../../shared/api/staff.ts';
import { staffMessageRequest } from '../../shared/api/tickets.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import { addMessage, patchStaffTicket } from '../services/tickets/index.ts';
import { renderCannedReply } from '../services/tickets/staff-canned.ts';
import { countInbox, listInbox } from '../services/tickets/staff-inbox.ts';
import { linkIncident, mergeTicket } from '../services/tickets/staff-links.ts';
import { trackViewers } from '../services/tickets/staff-viewers.ts';
import { getWorkspace } from '../services/tickets/staff-workspace.ts';
import { queryOf } from './tickets.ts';

/**
 * The staff console's tickets (API.md "Staff", issue 5): inbox views, counts, the workspace,
 * changes, merge and incident links. Tickets outside the staff member's scope are 404.
 */
export const staffTickets = new Hono<AppEnv>()
  .use(requireStaff)
  .use(async (c, next) => {
    // Presence marks are kept from the first staff request on (see staff-viewers.ts).
    trackViewers(c.get('deps'));
    await next();
  })
  .get('/', (c) => {
    const query = parseWith(staffInboxQuery, queryOf(c.req.query()));
    return c.json(listInbox(c.get('deps'), c.get('user'), query));
  })
  .get('/counts', (c) => {
    const query = parseWith(staffInboxQuery, queryOf(c.req.query()));
    return c.json(countInbox(c.get('deps'), c.get('user'), query));
  })
  .get('/:id', (c) => c.json(getWorkspace(c.get('deps'), c.get('user'), c.req.param('id'))))
  .patch('/:id', jsonBody(staffTicketPatchRequest), (c) =>
    c.json({ ticket: patchStaffTicket(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  )
  .post('/:id/messages', jsonBody(staffMessageRequest), (c) => {
    const { message, created } = addMessage(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body'));
    return c.json({ message }, created ? 201 : 200);
  })
  .post('/:id/merge', jsonBody(mergeTicketRequest), (c) =>
    c.json({
      ticket: mergeTicket(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body').intoTicketId),
    }),
  )
  .post('/:id/incident', jsonBody(linkIncidentRequest), (c) =>
    c.json({
      ticket: linkIncident(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body').incidentId),
    }),
  )
  .get('/:id/canned-replies/:replyId/render', (c) =>
    c.json(renderCannedReply(c.get('deps'), c.get('user'), c.req.param('id'), c.req.param('replyId'))),
  );
