import { Hono } from 'hono';
import { onCallRotaUpdate, slaPrioritiesUpdate } from '../../shared/api/emergencies.ts';
import { requireAdmin } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  changeOnCallRota,
  changeSlaOfType,
  getOnCallRota,
  getSlaTable,
} from '../services/staff/admin-emergencies.ts';

/**
 * `/api/staff/admin/sla` and `/api/staff/admin/teams/:id/on-call` (issue 15 items 6, 8): admins
 * only; an unknown type or team answers 404.
 */
export const staffAdminEmergencies = new Hono<AppEnv>()
  .get('/sla', requireAdmin, async (c) => c.json(await getSlaTable(c.get('deps'))))
  .put('/sla/:id', requireAdmin, jsonBody(slaPrioritiesUpdate), async (c) =>
    c.json({ type: await changeSlaOfType(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  )
  .get('/teams/:id/on-call', requireAdmin, async (c) =>
    c.json({ rota: await getOnCallRota(c.get('deps'), c.req.param('id')) }),
  )
  .put('/teams/:id/on-call', requireAdmin, jsonBody(onCallRotaUpdate), async (c) =>
    c.json({ rota: await changeOnCallRota(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  );
