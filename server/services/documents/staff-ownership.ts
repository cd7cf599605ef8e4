import { listCurrentOwnershipOptions } from '../../../db/repositories/owners.ts';
import type { StaffScopeFilter } from '../../../db/repositories/tickets.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { OwnershipOptionDto } from '../../../shared/api/staff-documents.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../../domain/errors.ts';
import type { SessionUser } from '../../lib/context.ts';
import { todayIn } from '../../lib/dates.ts';
import { loadStaffScope, staffScopeCovers } from '../tickets/index.ts';

const ownerName = (row: {
  firstName: string | null;
  lastName: string | null;
  organisationName: string | null;
}) => row.organisationName ?? [row.firstName, row.lastName].filter(Boolean).join(' ');

async function ownershipsInScope(db: DbOrTx, scope: StaffScopeFilter, today: string) {
  return (await listCurrentOwnershipOptions(db, today)).filter((row) =>
    staffScopeCovers(scope, { buildingId: row.buildingId, estateId: row.estateId }),
  );
}

/** `GET /staff/documents/ownerships`: current ownerships of the staff member's buildings. */
export async function listOwnershipOptions(
  deps: Pick<Deps, 'db' | 'now' | 'config'>,
  user: SessionUser,
): Promise<OwnershipOptionDto[]> {
  const today = todayIn(deps.config.timeZone, deps.now());
  return (await ownershipsInScope(deps.db, await loadStaffScope(deps.db, user), today)).map((row) => ({
    ownershipId: row.ownershipId,
    ownerName: ownerName(row),
    unitNumber: row.unitNumber,
    address: `${row.street} ${row.houseNumber}, ${row.city}`,
  }));
}

/**
 * A document filed to one ownership (seed 003: the owner's own statement): the ownership must be
 * current and in the staff member's scope, else 404 like an unknown id.
 */
export async function resolveOwnershipTarget(
  db: DbOrTx,
  scope: StaffScopeFilter,
  ownershipId: string,
  today: string,
) {
  if (!(await ownershipsInScope(db, scope, today)).some((row) => row.ownershipId === ownershipId))
    throw notFound();
  return {
    scope: 'ownership' as const,
    personId: null,
    contractId: null,
    buildingId: null,
    estateId: null,
    ownershipId,
  };
}
