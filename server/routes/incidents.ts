import { Hono } from 'hono';
import { matchingIncidentsQuery } from '../../shared/api/tickets.ts';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { parseWith } from '../lib/validate.ts';
import {
  followIncident,
  listIncidents,
  listMatchingIncidents,
  unfollowIncident,
} from '../services/incidents/tenant.ts';
import { queryOf } from './tickets.ts';

/** Incidents ("related tickets", seed 004) at the user's buildings and estates. */
export const incidents = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => c.json({ incidents: await listIncidents(c.get('deps'), c.get('user')) }))
  .get('/matching', async (c) => {
    const query = parseWith(matchingIncidentsQuery, queryOf(c.req.query()));
    return c.json({
      incidents: await listMatchingIncidents(c.get('deps'), c.get('user'), query.contractId, query.component),
    });
  })
  .post('/:id/follow', async (c) =>
    c.json({ incident: await followIncident(c.get('deps'), c.get('user'), c.req.param('id')) }),
  )
  .delete('/:id/follow', async (c) =>
    c.json({ incident: await unfollowIncident(c.get('deps'), c.get('user'), c.req.param('id')) }),
  );
