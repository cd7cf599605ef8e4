import { Hono } from 'hono';
import { registrationLettersRequest, tenantDirectoryQuery } from '../../shared/api/staff-tenants.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import { pdfResponse } from '../lib/pdf-download.ts';
import {
  listTenantDirectory,
  printRegistrationLetters,
  regenerateRegistrationCode,
} from '../services/staff/onboarding.ts';
import { getTenantRecord, getTenantSummary } from '../services/staff/tenant-record.ts';
import { viewAsTenant } from '../services/staff/view-as.ts';

/** /staff/tenants (issue 5 item 7). Staff see their scope; persons outside it answer 404. */
export const staffTenants = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', async (c) =>
    c.json(
      await listTenantDirectory(c.get('deps'), c.get('user'), parseWith(tenantDirectoryQuery, c.req.query())),
    ),
  )
  .post('/:personId/registration-code', async (c) =>
    c.json(await regenerateRegistrationCode(c.get('deps'), c.get('user'), c.req.param('personId')), 201),
  )
  // Tenant 360° (issue 15 item 5): the record, the card beside a case, and "view as tenant" (GET only:
  // it reads with the tenant-side services and never switches a session, so it cannot write).
  .get('/:personId', async (c) =>
    c.json(await getTenantRecord(c.get('deps'), c.get('user'), c.req.param('personId'))),
  )
  .get('/:personId/summary', async (c) =>
    c.json(await getTenantSummary(c.get('deps'), c.get('user'), c.req.param('personId'))),
  )
  .get('/:personId/view', async (c) =>
    c.json(await viewAsTenant(c.get('deps'), c.get('user'), c.req.param('personId'))),
  );

/** POST /staff/registration-letters (API.md): a PDF for `single`, JSON for `per_person`. */
export const staffRegistrationLetters = new Hono<AppEnv>()
  .use(requireStaff)
  .post('/', jsonBody(registrationLettersRequest), async (c) => {
    const result = await printRegistrationLetters(c.get('deps'), c.get('user'), c.get('body'));
    if (result.layout === 'per_person') return c.json({ letters: result.letters }, 201);
    return pdfResponse({ bytes: result.pdf, fileName: result.fileName });
  });
