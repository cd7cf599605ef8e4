import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  brandingUpdate,
  staffAccountCreate,
  staffAccountPatch,
  teamInput,
  teamMembersInput,
  teamScopesInput,
  ticketTypeUpdate,
} from '../../shared/api/staff-admin.ts';
import { businessHoursSchema } from '../../shared/api/business-hours.ts';
import { requireAdmin } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { HttpError } from '../lib/http-error.ts';
import { jsonBody } from '../lib/validate.ts';
import { MAX_UPLOAD_BODY_BYTES } from '../files/limits.ts';
import { payloadTooLarge } from '../services/uploads.ts';
import { changeBrandingLogo, removeBrandingLogo } from '../services/staff/admin-branding.ts';
import {
  changeTeam,
  createTeam,
  listTeamsForAdmin,
  removeTeam,
  setTeamMembers,
  setTeamScopes,
} from '../services/staff/admin-teams.ts';
import { changeStaffAccount, createStaffAccount, listStaffForAdmin } from '../services/staff/admin-staff.ts';
import { changeBusinessHours, getBusinessHours } from '../services/staff/admin-business-hours.ts';
import {
  changeBranding,
  changePasswordPolicy,
  changeTicketType,
  getBranding,
  getPasswordPolicyForAdmin,
  listTicketTypesForAdmin,
} from '../services/staff/admin.ts';

/** The single `file` part of a multipart body (the logo); anything else is a 4xx with a code. */
async function logoBytes(request: Request): Promise<Uint8Array> {
  const mediaType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data')
    throw new HttpError(
      415,
      'multipart_required',
      'Send the logo as multipart/form-data in the field "file".',
    );
  let part: unknown;
  try {
    part = (await request.formData()).getAll('file');
  } catch {
    throw new HttpError(400, 'invalid_multipart', 'The multipart body could not be read.');
  }
  const files = (part as unknown[]).filter((value): value is File => value instanceof File);
  if (files.length !== 1) throw new HttpError(400, 'file_required', 'Send exactly one file in "file".');
  return new Uint8Array(await files[0]!.arrayBuffer());
}

const logoBodyLimit = bodyLimit({
  maxSize: MAX_UPLOAD_BODY_BYTES,
  onError: () => {
    throw payloadTooLarge();
  },
});

/** /staff/admin (issue 5 item 8): admins only; staff 403 `forbidden`, no session 401. */
export const staffAdmin = new Hono<AppEnv>()
  .use(requireAdmin)
  .get('/ticket-types', async (c) => c.json(await listTicketTypesForAdmin(c.get('deps'))))
  .put('/ticket-types/:id', jsonBody(ticketTypeUpdate), async (c) =>
    c.json({
      ticketType: await changeTicketType(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    }),
  )
  .get('/password-policy', async (c) => c.json({ policy: await getPasswordPolicyForAdmin(c.get('deps')) }))
  // The full policy schema lives in server/auth/password-policy.ts; the service validates with it.
  .put('/password-policy', jsonBody(z.record(z.string(), z.unknown())), async (c) =>
    c.json({ policy: await changePasswordPolicy(c.get('deps'), c.get('user'), c.get('body')) }),
  )
  .get('/business-hours', async (c) => c.json({ businessHours: await getBusinessHours(c.get('deps')) }))
  .put('/business-hours', jsonBody(businessHoursSchema), async (c) =>
    c.json({ businessHours: await changeBusinessHours(c.get('deps'), c.get('user'), c.get('body')) }),
  )
  .get('/branding', async (c) => c.json({ branding: await getBranding(c.get('deps')) }))
  .put('/branding', jsonBody(brandingUpdate), async (c) =>
    c.json({ branding: await changeBranding(c.get('deps'), c.get('user'), c.get('body')) }),
  )
  .post('/branding/logo', logoBodyLimit, async (c) =>
    c.json({ branding: await changeBrandingLogo(c.get('deps'), c.get('user'), await logoBytes(c.req.raw)) }),
  )
  .delete('/branding/logo', async (c) =>
    c.json({ branding: await removeBrandingLogo(c.get('deps'), c.get('user')) }),
  )
  .get('/teams', async (c) => c.json(await listTeamsForAdmin(c.get('deps'))))
  .post('/teams', jsonBody(teamInput), async (c) =>
    c.json({ team: await createTeam(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .patch('/teams/:id', jsonBody(teamInput), async (c) =>
    c.json({ team: await changeTeam(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  )
  .delete('/teams/:id', async (c) => {
    await removeTeam(c.get('deps'), c.get('user'), c.req.param('id'));
    return c.body(null, 204);
  })
  .put('/teams/:id/members', jsonBody(teamMembersInput), async (c) =>
    c.json({ team: await setTeamMembers(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  )
  .put('/teams/:id/scopes', jsonBody(teamScopesInput), async (c) =>
    c.json({ team: await setTeamScopes(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')) }),
  )
  .get('/staff', async (c) => c.json({ staff: await listStaffForAdmin(c.get('deps')) }))
  .post('/staff', jsonBody(staffAccountCreate), async (c) =>
    c.json({ account: await createStaffAccount(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .patch('/staff/:id', jsonBody(staffAccountPatch), async (c) =>
    c.json({
      account: await changeStaffAccount(c.get('deps'), c.get('user'), c.req.param('id'), c.get('body')),
    }),
  );
