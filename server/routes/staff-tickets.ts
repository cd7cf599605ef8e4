import { Hono } from 'hono';
import {
  bulkTicketsRequest,
  linkIncidentRequest,
  mergeTicketRequest,
  savedViewCreate,
  staffInboxQuery,
  staffTicketPatchRequest,
  ticketMacroRequest,
} from '../../shared/api/staff.ts';
import { dialogPageQuery, staffMessageRequest } from '../../shared/api/tickets.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import { addMessage, patchStaffTicket } from '../services/tickets/index.ts';
import { getStaffDialogPage } from '../services/tickets/dialog.ts';
import { renderCannedReply } from '../services/tickets/staff-canned.ts';
import {
  bulkChangeTickets,
  createSavedView,
  deleteSavedView,
  inboxFacets,
  listSavedViews,
  runMacro,
} from '../services/tickets/staff-desk.ts';
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
  .get('/', async (c) => {
    const query = parseWith(staffInboxQuery, queryOf(c.req.query()));
    return c.json(await listInbox(c.get('deps'), c.get('user'), query));
  })
  .get('/counts', async (c) => {
    const query = parseWith(staffInboxQuery, queryOf(c.req.query()));
    return c.json(await countInbox(c.get('deps'), c.get('user'), query));
  })
  // Before `/:id`: these paths are not ticket ids.
  .get('/facets', async (c) => c.json(await inboxFacets(c.get('deps'), c.get('user'))))
  .get('/views', async (c) => c.json({ views: await listSavedViews(c.get('deps'), c.get('user')) }))
  .post('/views', jsonBody(savedViewCreate), async (c) =>
    c.json({ view: await createSavedView(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .delete('/views/:viewId', async (c) => {
    await deleteSavedView(c.get('deps'), c.get('user'), c.req.param('viewId'));
    return c.body(null, 204);
  })
  .post('/bulk', jsonBody(bulkTicketsRequest), async (c) =>
    c.json(await bulkChangeTickets(c.get('deps'), c.get('user'), c.get('body'))),
  )
  .get('/:id', async (c) => c.json(await getWorkspace(c.get('deps'), c.get('user'), c.req.param('id'))))
  .get('/:id/messages', async (c) => {
    const query = parseWith(dialogPageQuery, queryOf(c.req.query()));
    return c.json(await getStaffDialogPage(c.get('deps'), c.get('user'), c.req.param('id'), query));
  })
  .patch('/:id', jsonBody(staffTicketPatchRequest), async (c) =>
    c.json({
      ticket: await patchStaffTicket(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    }),
  )
  .post('/:id/messages', jsonBody(staffMessageRequest), async (c) => {
    const { message, created } = await addMessage(
      c.get('deps'),
      c.get('user'),
      c.req.param('id'),
      c.get('body'),
    );
    return c.json({ message }, created ? 201 : 200);
  })
  .post('/:id/macro', jsonBody(ticketMacroRequest), async (c) =>
    c.json(await runMacro(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body'))),
  )
  .post('/:id/merge', jsonBody(mergeTicketRequest), async (c) =>
    c.json({
      ticket: await mergeTicket(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body').intoTicketId),
    }),
  )
  .post('/:id/incident', jsonBody(linkIncidentRequest), async (c) =>
    c.json({
      ticket: await linkIncident(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body').incidentId),
    }),
  )
  .get('/:id/canned-replies/:replyId/render', async (c) =>
    c.json(await renderCannedReply(c.get('deps'), c.get('user'), c.req.param('id'), c.req.param('replyId'))),
  );
