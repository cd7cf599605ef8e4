import { Hono } from 'hono';
import { repairConfirmationRequest } from '../../shared/api/repair-confirmation.ts';
import { requireCustomer, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import { answerRepairConfirmationRequest, getRepairConfirmation } from '../services/repairs/closing.ts';

/**
 * A finished repair's question to the tenant: the household and staff in scope read it; only the
 * household answers (staff 403, as for the rating), once (409). Someone else's ticket is a 404.
 */
export const ticketRepairConfirmation = new Hono<AppEnv>()
  .get('/tickets/:id/repair-confirmation', requireUser, async (c) =>
    c.json(await getRepairConfirmation(c.get('deps'), c.get('user'), c.req.param('id'))),
  )
  .post('/tickets/:id/repair-confirmation', requireCustomer, jsonBody(repairConfirmationRequest), async (c) =>
    c.json(
      await answerRepairConfirmationRequest(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    ),
  );
