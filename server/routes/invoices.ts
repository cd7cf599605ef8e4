import { Hono } from 'hono';
import {
  invoiceListQuery,
  type InvoiceDetailResponse,
  type InvoicesListResponse,
} from '../../shared/api/invoices.ts';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { parseWith } from '../lib/validate.ts';
import { getMyInvoice, listMyInvoices, renderMyInvoicePdf } from '../services/invoices.ts';
import { pdfLocale, pdfResponse } from '../lib/pdf-download.ts';

/** `/api/invoices`: rent invoices with QR and OCR (seed 004), unpaid ones by default. */
export const invoices = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => {
    const query = parseWith(invoiceListQuery, c.req.query());
    return c.json({
      invoices: await listMyInvoices(c.get('deps'), c.get('user'), query),
    } satisfies InvoicesListResponse);
  })
  .get('/:id', async (c) =>
    c.json({
      invoice: await getMyInvoice(c.get('deps'), c.get('user'), c.req.param('id')),
    } satisfies InvoiceDetailResponse),
  )
  .get('/:id/pdf', async (c) => {
    const user = c.get('user');
    const locale = pdfLocale(c.req.query(), user);
    return pdfResponse(await renderMyInvoicePdf(c.get('deps'), user, c.req.param('id'), locale));
  });
