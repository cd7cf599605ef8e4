import { Hono } from 'hono';
import {
  staffIncidentAttach,
  staffIncidentCreate,
  staffIncidentReach,
  staffIncidentUpdate,
} from '../../shared/api/staff-incidents.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  attachTickets,
  closeIncident,
  countIncidentReach,
  createStaffIncident,
  listStaffIncidents,
  postIncidentUpdate,
} from '../services/incidents/staff.ts';

/** Incidents / related tickets from the console (issue 5 item 5); outside the scope: 404. */
export const staffIncidents = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', async (c) => c.json({ incidents: await listStaffIncidents(c.get('deps'), c.get('user')) }))
  .post('/', jsonBody(staffIncidentCreate), async (c) =>
    c.json({ incident: await createStaffIncident(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .post('/reach', jsonBody(staffIncidentReach), async (c) =>
    c.json({ reach: await countIncidentReach(c.get('deps'), c.get('user'), c.get('body')) }),
  )
  .post('/:id/updates', jsonBody(staffIncidentUpdate), async (c) =>
    c.json(
      { incident: await postIncidentUpdate(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) },
      201,
    ),
  )
  .post('/:id/close', async (c) =>
    c.json({ incident: await closeIncident(c.get('deps'), c.get('user'), c.req.param('id')) }),
  )
  .post('/:id/tickets', jsonBody(staffIncidentAttach), async (c) =>
    c.json({ incident: await attachTickets(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  );
