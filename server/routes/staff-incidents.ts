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
} from '../services/staff/incidents.ts';

/** Incidents / related tickets from the console (issue 5 item 5); outside the scope: 404. */
export const staffIncidents = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', (c) => c.json({ incidents: listStaffIncidents(c.get('deps'), c.get('user')) }))
  .post('/', jsonBody(staffIncidentCreate), (c) =>
    c.json({ incident: createStaffIncident(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .post('/reach', jsonBody(staffIncidentReach), (c) =>
    c.json({ reach: countIncidentReach(c.get('deps'), c.get('user'), c.get('body')) }),
  )
  .post('/:id/updates', jsonBody(staffIncidentUpdate), (c) =>
    c.json(
      { incident: postIncidentUpdate(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) },
      201,
    ),
  )
  .post('/:id/close', (c) =>
    c.json({ incident: closeIncident(c.get('deps'), c.get('user'), c.req.param('id')) }),
  )
  .post('/:id/tickets', jsonBody(staffIncidentAttach), (c) =>
    c.json({ incident: attachTickets(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  );
