import { listScopesOfAllMembers, listStaffAccounts } from '../../../db/repositories/staff.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { StaffMemberDto } from '../../../shared/api/staff.ts';
import { personName } from './staff-inbox.ts';

export interface Place {
  buildingId: string | null;
  estateId: string | null;
}

/**
 * Staff who may work a ticket at this place: admins, and staff whose teams' scopes cover it
 * (issue 5 "assigneeId must be staff in scope": a ticket assigned to someone who cannot open it
 * would vanish). Two queries for everybody.
 */
export async function listStaffForPlace(db: DbOrTx, place: Place): Promise<StaffMemberDto[]> {
  const scopes = await listScopesOfAllMembers(db);
  const covers = (userId: string) =>
    scopes.some(
      (scope) =>
        scope.userId === userId &&
        (scope.kind === 'all' ||
          (scope.kind === 'building' && scope.buildingId !== null && scope.buildingId === place.buildingId) ||
          (scope.kind === 'estate' && scope.estateId !== null && scope.estateId === place.estateId)),
    );
  return (await listStaffAccounts(db))
    .filter((account) => account.role === 'admin' || covers(account.id))
    .map((account) => ({
      id: account.id,
      name: personName(account.firstName, account.lastName) ?? account.loginEmail,
      role: account.role === 'admin' ? 'admin' : 'staff',
    }));
}

/** Display names of every staff account (viewer and audit names). */
export async function staffNames(db: DbOrTx): Promise<Map<string, string>> {
  return new Map(
    (await listStaffAccounts(db)).map((account) => [
      account.id,
      personName(account.firstName, account.lastName) ?? account.loginEmail,
    ]),
  );
}
