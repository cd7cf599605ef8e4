import { Hono } from 'hono';
import { requireCustomer, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import {
  getMyOwnershipAccount,
  listMyOwnerDocuments,
  listMyOwnerships,
  listOwnedUnits,
} from '../services/owner.ts';
import type { OwnedUnitsResponse } from '../../shared/api/home.ts';
import type {
  OwnerDocumentsResponse,
  OwnershipAccountResponse,
  OwnershipListResponse,
} from '../../shared/api/owner.ts';

/**
 * `/api/owner` (seed 003, WEG owners): the units, the owner's account per ownership and the WEG's
 * documents. The documents are the same rows `/api/documents` lists and serves.
 */
export const owner = new Hono<AppEnv>()
  .use(requireUser, requireCustomer)
  .get('/units', async (c) =>
    c.json({ units: await listOwnedUnits(c.get('deps'), c.get('user')) } satisfies OwnedUnitsResponse),
  )
  .get('/ownerships', async (c) =>
    c.json((await listMyOwnerships(c.get('deps'), c.get('user'))) satisfies OwnershipListResponse),
  )
  .get('/ownerships/:id', async (c) =>
    c.json(
      (await getMyOwnershipAccount(
        c.get('deps'),
        c.get('user'),
        c.req.param('id'),
      )) satisfies OwnershipAccountResponse,
    ),
  )
  .get('/documents', async (c) =>
    c.json((await listMyOwnerDocuments(c.get('deps'), c.get('user'))) satisfies OwnerDocumentsResponse),
  );
