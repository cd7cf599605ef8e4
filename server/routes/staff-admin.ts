import { Hono } from 'hono';
import { z } from 'zod';
import { brandingUpdate, ticketTypeUpdate } from '../../shared/api/staff-admin.ts';
import { requireAdmin } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  changeBranding,
  changePasswordPolicy,
  changeTicketType,
  getBranding,
  getPasswordPolicyForAdmin,
  listTicketTypesForAdmin,
} from '../services/staff/admin.ts';

/** /staff/admin (issue 5 item 8): admins only; staff 403 `forbidden`, no session 401. */
export const staffAdmin = new Hono<AppEnv>()
  .use(requireAdmin)
  .get('/ticket-types', (c) => c.json(listTicketTypesForAdmin(c.get('deps'))))
  .put('/ticket-types/:id', jsonBody(ticketTypeUpdate), (c) =>
    c.json({
      ticketType: changeTicketType(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    }),
  )
  .get('/password-policy', (c) => c.json({ policy: getPasswordPolicyForAdmin(c.get('deps')) }))
  // The full policy schema lives in server/auth/password-policy.ts; the service validates with it.
  .put('/password-policy', jsonBody(z.record(z.string(), z.unknown())), (c) =>
    c.json({ policy: changePasswordPolicy(c.get('deps'), c.get('user'), c.get('body')) }),
  )
  .get('/branding', (c) => c.json({ branding: getBranding(c.get('deps')) }))
  .put('/branding', jsonBody(brandingUpdate), (c) =>
    c.json({ branding: changeBranding(c.get('deps'), c.get('user'), c.get('body')) }),
  );
