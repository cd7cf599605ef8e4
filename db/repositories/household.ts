import { and, asc, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { contractParties, persons, registrationCodes, users } from '../schema/index.ts';

export type HouseholdAccess = 'full' | 'read';

/** Everyone on a contract with their person and whether they have a login: one query (seed 003). */
export function listHouseholdOfContract(db: DbOrTx, contractId: string) {
  return db
    .select({
      personId: contractParties.personId,
      role: contractParties.role,
      access: contractParties.access,
      until: contractParties.until,
      person: persons,
      userId: users.id,
    })
    .from(contractParties)
    .innerJoin(persons, eq(persons.id, contractParties.personId))
    .leftJoin(users, eq(users.personId, contractParties.personId))
    .where(eq(contractParties.contractId, contractId))
    .orderBy(asc(contractParties.role), asc(persons.lastName), asc(persons.firstName))
    .all();
}

/** Household invitations on a contract not yet used, revoked or expired, newest first. */
export function listOpenHouseholdInvitations(db: DbOrTx, contractId: string, now: Date) {
  return db
    .select({ personId: registrationCodes.personId, createdAt: registrationCodes.createdAt })
    .from(registrationCodes)
    .where(
      and(
        eq(registrationCodes.contractId, contractId),
        eq(registrationCodes.purpose, 'household_invitation'),
        isNull(registrationCodes.usedAt),
        isNull(registrationCodes.revokedAt),
        or(isNull(registrationCodes.expiresAt), gt(registrationCodes.expiresAt, now)),
      ),
    )
    .orderBy(desc(registrationCodes.createdAt))
    .all();
}

export function updateHouseholdAccess(
  db: DbOrTx,
  contractId: string,
  personId: string,
  access: HouseholdAccess,
): number {
  return db
    .update(contractParties)
    .set({ access })
    .where(and(eq(contractParties.contractId, contractId), eq(contractParties.personId, personId)))
    .run().changes;
}
