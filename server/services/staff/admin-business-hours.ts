/**
 * Business hours (issue 5 "SLA timer … business hours configurable", item 8 "all without a code
 * change"): the admin reads and replaces the `business_hours` setting. New tickets take their due
 * dates from it at once (create.ts reads it per ticket); existing due dates are not recomputed, as
 * a promise made to a tenant should not move because the office changed its hours. Audited.
 */
import { putSetting } from '../../../db/repositories/settings.ts';
import type { BusinessHours } from '../../../shared/api/business-hours.ts';
import type { SessionUser } from '../../lib/context.ts';
import { loadBusinessHours } from '../sla.ts';
import { auditAdmin } from './admin-teams.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import type { AdminDeps, AdminWriteDeps } from './admin.ts';

export async function getBusinessHours(deps: AdminDeps): Promise<BusinessHours> {
  return await loadBusinessHours(deps.db);
}

/** The input is already valid (businessHoursSchema at the route); days and holidays are stored sorted. */
export async function changeBusinessHours(
  deps: AdminWriteDeps,
  admin: SessionUser,
  input: BusinessHours,
): Promise<BusinessHours> {
  const hours: BusinessHours = {
    days: [...input.days].sort((a, b) => a - b),
    start: input.start,
    end: input.end,
    holidays: [...input.holidays].sort(),
  };
  const now = deps.now();
  await unitOfWork(deps, async ({ tx }) => {
    await putSetting(tx, 'business_hours', hours, now);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.business_hours_changed',
      { type: 'setting', id: 'business_hours' },
      {
        businessHours: hours,
      },
    );
  });
  return hours;
}
