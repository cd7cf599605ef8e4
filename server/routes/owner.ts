import { Hono } from 'hono';
import { requireCustomer, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { listOwnedUnits } from '../services/owner.ts';
import type { OwnedUnitsResponse } from '../../shared/api/home.ts';

/** `GET /api/owner/units`: the owner's units (seed 003); owner documents come via `/api/documents`. */
export const owner = new Hono<AppEnv>()
  .use(requireUser, requireCustomer)
  .get('/units', (c) =>
    c.json({ units: listOwnedUnits(c.get('deps'), c.get('user')) } satisfies OwnedUnitsResponse),
  );
