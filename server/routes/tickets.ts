import { Hono } from 'hono';
import {
  addMessageRequest,
  createTicketRequest,
  dialogPageQuery,
  ratingRequest,
  ticketListQuery,
} from '../../shared/api/tickets.ts';
import { requireCustomer, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import { getDialogPage } from '../services/tickets/dialog.ts';
import { toTicketDto } from '../services/tickets/dto.ts';
import {
  addMessage,
  createTicket,
  getTicketDetail,
  listCustomerTickets,
  listTicketTypeForms,
  rateTicket,
  reopenTicket,
} from '../services/tickets/index.ts';

/** `?q=&status=`: an empty parameter means "not given", as HTML forms send it. */
export const queryOf = (query: Record<string, string>) =>
  Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));

/** Tenant side of tickets (API.md): `/ticket-types`, `/tickets…`. Staff use `/staff/tickets`. */
export const tickets = new Hono<AppEnv>()
  .use('/ticket-types', requireUser)
  .use('/tickets', requireUser)
  .use('/tickets/*', requireUser)
  .get('/ticket-types', async (c) => c.json({ types: await listTicketTypeForms(c.get('deps')) }))
  .get('/tickets', async (c) => {
    const query = parseWith(ticketListQuery, queryOf(c.req.query()));
    return c.json({ tickets: await listCustomerTickets(c.get('deps'), c.get('user'), query) });
  })
  .post('/tickets', jsonBody(createTicketRequest), async (c) => {
    const { ticket, created } = await createTicket(c.get('deps'), c.get('user'), c.get('body'));
    return c.json({ ticket: toTicketDto(ticket, c.get('user').language) }, created ? 201 : 200);
  })
  .get('/tickets/:id', async (c) =>
    c.json(await getTicketDetail(c.get('deps'), c.get('user'), c.req.param('id'))),
  )
  .get('/tickets/:id/messages', async (c) => {
    const query = parseWith(dialogPageQuery, queryOf(c.req.query()));
    return c.json(await getDialogPage(c.get('deps'), c.get('user'), c.req.param('id'), query));
  })
  .post('/tickets/:id/messages', jsonBody(addMessageRequest), async (c) => {
    const { message, created } = await addMessage(
      c.get('deps'),
      c.get('user'),
      c.req.param('id'),
      c.get('body'),
    );
    return c.json({ message }, created ? 201 : 200);
  })
  // The rating is the tenant's verdict on the service: staff may not set it for them.
  .post('/tickets/:id/rating', requireCustomer, jsonBody(ratingRequest), async (c) =>
    c.json({ ticket: await rateTicket(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  )
  .post('/tickets/:id/reopen', async (c) =>
    c.json({ ticket: await reopenTicket(c.get('deps'), c.get('user'), c.req.param('id')) }),
  );
