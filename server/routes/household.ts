import { Hono } from 'hono';
import { requestMeta } from '../auth/client-ip.ts';
import { requireAdmin, requireCustomer, requireStaff, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  approveHouseholdRemoval,
  changeHouseholdAccess,
  changeHouseholdSettings,
  getHousehold,
  getHouseholdSettings,
  inviteHouseholdMember,
  removeHouseholdMember,
  withdrawHouseholdInvitation,
} from '../services/household.ts';
import {
  householdInvitationRequest,
  householdSettings,
  updateHouseholdAccessRequest,
  type HouseholdInvitationResponse,
  type HouseholdMemberResponse,
  type HouseholdRemovalResult,
  type HouseholdResponse,
  type HouseholdSettings,
} from '../../shared/api/household.ts';

/**
 * `/api/contracts/:id/household…` (seed 003). Mounted at the API root beside the contracts
 * routes, so the guards sit on each route.
 */
export const household = new Hono<AppEnv>()
  .get('/contracts/:id/household', requireUser, requireCustomer, async (c) =>
    c.json((await getHousehold(c.get('deps'), c.get('user'), c.req.param('id'))) satisfies HouseholdResponse),
  )
  .post(
    '/contracts/:id/household/invitations',
    requireUser,
    requireCustomer,
    jsonBody(householdInvitationRequest),
    async (c) => {
      const result = await inviteHouseholdMember(
        c.get('deps'),
        c.get('user'),
        c.req.param('id'),
        c.get('body'),
        requestMeta(c),
      );
      return c.json(result satisfies HouseholdInvitationResponse, 201);
    },
  )
  .delete('/contracts/:id/household/invitations/:invitationId', requireUser, requireCustomer, async (c) => {
    await withdrawHouseholdInvitation(
      c.get('deps'),
      c.get('user'),
      c.req.param('id'),
      c.req.param('invitationId'),
      requestMeta(c),
    );
    return c.body(null, 204);
  })
  .delete('/contracts/:id/household/:personId', requireUser, requireCustomer, async (c) => {
    const result = await removeHouseholdMember(
      c.get('deps'),
      c.get('user'),
      c.req.param('id'),
      c.req.param('personId'),
      requestMeta(c),
    );
    // Removed at once: nothing to say. Waiting for approval: the request staff approve.
    return result.removed ? c.body(null, 204) : c.json(result satisfies HouseholdRemovalResult, 202);
  })
  // Staff approve a removal the main tenant asked for (the landlord requires approval).
  .delete('/staff/contracts/:id/household/:personId', requireUser, requireStaff, async (c) => {
    await approveHouseholdRemoval(
      c.get('deps'),
      c.get('user'),
      c.req.param('id'),
      c.req.param('personId'),
      requestMeta(c),
    );
    return c.body(null, 204);
  })
  .get('/staff/admin/household', requireUser, requireAdmin, async (c) =>
    c.json({ settings: (await getHouseholdSettings(c.get('deps'))) satisfies HouseholdSettings }),
  )
  .put('/staff/admin/household', requireUser, requireAdmin, jsonBody(householdSettings), async (c) =>
    c.json({
      settings: await changeHouseholdSettings(c.get('deps'), c.get('user'), c.get('body'), requestMeta(c)),
    }),
  )
  .patch(
    '/contracts/:id/household/:personId',
    requireUser,
    requireCustomer,
    jsonBody(updateHouseholdAccessRequest),
    async (c) => {
      const member = await changeHouseholdAccess(
        c.get('deps'),
        c.get('user'),
        c.req.param('id'),
        c.req.param('personId'),
        c.get('body').access,
        requestMeta(c),
      );
      return c.json({ member } satisfies HouseholdMemberResponse);
    },
  );
