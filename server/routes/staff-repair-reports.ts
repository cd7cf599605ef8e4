import { Hono } from 'hono';
import { ticketReportQuery } from '../../shared/api/staff-reports.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { parseWith } from '../lib/validate.ts';
import { contractorRepairReport } from '../services/reports/repairs.ts';
import { queryOf } from './tickets.ts';

/**
 * `GET /api/staff/reports/contractors`: the repair figures per contractor (first-time fixes, days
 * to fix, ratings) with the filters of the ticket report, over the caller's scope only.
 */
export const staffRepairReports = new Hono<AppEnv>().use(requireStaff).get('/', async (c) => {
  const query = parseWith(ticketReportQuery, queryOf(c.req.query()));
  return c.json(await contractorRepairReport(c.get('deps'), c.get('user'), query));
});
