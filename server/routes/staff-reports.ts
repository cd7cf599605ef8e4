import { Hono } from 'hono';
import { ticketCsvQuery, ticketReportQuery } from '../../shared/api/staff-reports.ts';
import { requireStaff } from '../auth/middleware.ts';
import { contentDisposition } from '../files/names.ts';
import type { AppEnv } from '../lib/context.ts';
import { parseWith } from '../lib/validate.ts';
import { ticketCsv } from '../services/reports/csv.ts';
import { ticketReport } from '../services/reports/figures.ts';
import { reportFilterOptions } from '../services/reports/scope.ts';
import { queryOf } from './tickets.ts';

/**
 * Service-desk reports (issue 15 item 7, API.md "Reports"): figures for the report page and the
 * tickets as CSV, both over the caller's scope only.
 */
export const staffReports = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/filters', async (c) => c.json(await reportFilterOptions(c.get('deps'), c.get('user'))))
  .get('/tickets', async (c) => {
    const query = parseWith(ticketReportQuery, queryOf(c.req.query()));
    return c.json(await ticketReport(c.get('deps'), c.get('user'), query));
  })
  .get('/tickets.csv', async (c) => {
    const query = parseWith(ticketCsvQuery, queryOf(c.req.query()));
    const csv = await ticketCsv(c.get('deps'), c.get('user'), query);
    return c.body(csv.body, 200, {
      'Content-Type': 'text/csv; charset=utf-8; header=present',
      'Content-Disposition': contentDisposition('text/csv', csv.fileName, { download: true }),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
  });
