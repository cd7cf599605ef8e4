import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { renderMyRentCertificate, renderMyResidenceConfirmation } from '../services/certificates.ts';
import { pdfLocale, pdfResponse } from '../lib/pdf-download.ts';

/**
 * `/api/contracts/:id/certificates/*.pdf`: pre-filled self-service forms (seed 002). Mounted under
 * `/contracts` beside the contracts sub-app; downloads need only `read` access.
 */
export const certificates = new Hono<AppEnv>()
  .get('/:id/certificates/rent.pdf', requireUser, async (c) => {
    const user = c.get('user');
    const locale = pdfLocale(c.req.query(), user);
    return pdfResponse(await renderMyRentCertificate(c.get('deps'), user, c.req.param('id'), locale));
  })
  .get('/:id/certificates/residence.pdf', requireUser, async (c) => {
    const user = c.get('user');
    const locale = pdfLocale(c.req.query(), user);
    return pdfResponse(await renderMyResidenceConfirmation(c.get('deps'), user, c.req.param('id'), locale));
  });
