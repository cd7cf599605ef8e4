import {
  and,
  asc,
  desc,
  eq,
  gt,
  inArray,
  isNotNull,
  isNull,
  lte,
  notExists,
  notInArray,
  or,
  sql,
} from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { inJsonArray } from '../prepared.ts';
import {
  contractParties,
  documents,
  ownerships,
  persons,
  registrationCodes,
  tickets,
  users,
} from '../schema/index.ts';

export type HouseholdAccess = 'full' | 'read';

/** Everyone on a contract with their person and whether they have a login: one query (seed 003). */
export async function listHouseholdOfContract(db: DbOrTx, contractId: string) {
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

/** Not used, not withdrawn, not expired: the code still registers a login. */
const isOpen = (now: Date) =>
  and(
    eq(registrationCodes.purpose, 'household_invitation'),
    isNull(registrationCodes.usedAt),
    isNull(registrationCodes.revokedAt),
    or(isNull(registrationCodes.expiresAt), gt(registrationCodes.expiresAt, now)),
  );

const openInvitationColumns = {
  id: registrationCodes.id,
  personId: registrationCodes.personId,
  email: registrationCodes.email,
  access: registrationCodes.access,
  createdAt: registrationCodes.createdAt,
  expiresAt: registrationCodes.expiresAt,
  firstName: persons.firstName,
  lastName: persons.lastName,
};

/** Household invitations on a contract not yet used, withdrawn or expired, newest first. */
export async function listOpenHouseholdInvitations(db: DbOrTx, contractId: string, now: Date) {
  return db
    .select(openInvitationColumns)
    .from(registrationCodes)
    .innerJoin(persons, eq(persons.id, registrationCodes.personId))
    .where(and(eq(registrationCodes.contractId, contractId), isOpen(now)))
    .orderBy(desc(registrationCodes.createdAt))
    .all();
}

/** The open invitations of several contracts at once (the staff tenant record), newest first. */
export async function listOpenHouseholdInvitationsOfContracts(
  db: DbOrTx,
  contractIds: readonly string[],
  now: Date,
) {
  if (contractIds.length === 0) return [];
  return db
    .select({ ...openInvitationColumns, contractId: registrationCodes.contractId })
    .from(registrationCodes)
    .innerJoin(persons, eq(persons.id, registrationCodes.personId))
    .where(and(inJsonArray(registrationCodes.contractId, contractIds), isOpen(now)))
    .orderBy(desc(registrationCodes.createdAt))
    .all();
}

/** One open invitation of this contract; undefined for another contract's id, like a missing one. */
export async function findOpenHouseholdInvitation(db: DbOrTx, contractId: string, id: string, now: Date) {
  return db
    .select(openInvitationColumns)
    .from(registrationCodes)
    .innerJoin(persons, eq(persons.id, registrationCodes.personId))
    .where(and(eq(registrationCodes.id, id), eq(registrationCodes.contractId, contractId), isOpen(now)))
    .get();
}

/** A removed person's unused invitation codes for the contract stop working (housekeeping deletes them). */
export async function revokeHouseholdInvitationsOf(
  db: DbOrTx,
  contractId: string,
  personId: string,
  at: Date,
): Promise<void> {
  db.update(registrationCodes)
    .set({ revokedAt: at })
    .where(
      and(
        eq(registrationCodes.contractId, contractId),
        eq(registrationCodes.personId, personId),
        eq(registrationCodes.purpose, 'household_invitation'),
        isNull(registrationCodes.usedAt),
        isNull(registrationCodes.revokedAt),
      ),
    )
    .run();
}

/**
 * Household invitations that can never be used any more: unused and withdrawn or expired. Expiry
 * counts from `now`, so a link that just ran out is already gone: the code is dead either way.
 */
export async function listDeadHouseholdInvitations(db: DbOrTx, now: Date) {
  return db
    .select({ id: registrationCodes.id, personId: registrationCodes.personId })
    .from(registrationCodes)
    .where(
      and(
        eq(registrationCodes.purpose, 'household_invitation'),
        isNull(registrationCodes.usedAt),
        or(isNotNull(registrationCodes.revokedAt), lte(registrationCodes.expiresAt, now)),
      ),
    )
    .all();
}

/**
 * Deletes dead invitations and what they created: the invitee's person and, for invitations sent
 * when an invitation still put the invitee on the contract at once, their party row. A person who
 * has a login, owns something, has documents or another registration code is kept (and so are
 * their party rows): then the person is not the invitation's alone.
 */
export async function deleteHouseholdInvitations(
  db: DbOrTx,
  invitations: { id: string; personId: string }[],
): Promise<number> {
  if (invitations.length === 0) return 0;
  const ids = invitations.map((row) => row.id);
  const personIds = [...new Set(invitations.map((row) => row.personId))];
  // Never a used code: its person registered and is on the contract.
  const deleted = db
    .delete(registrationCodes)
    .where(and(inArray(registrationCodes.id, ids), isNull(registrationCodes.usedAt)))
    .run().changes;
  const unreferenced = and(
    notExists(
      db
        .select({ one: sql`1` })
        .from(users)
        .where(eq(users.personId, persons.id)),
    ),
    notExists(
      db
        .select({ one: sql`1` })
        .from(registrationCodes)
        .where(eq(registrationCodes.personId, persons.id)),
    ),
    notExists(
      db
        .select({ one: sql`1` })
        .from(ownerships)
        .where(eq(ownerships.personId, persons.id)),
    ),
    notExists(
      db
        .select({ one: sql`1` })
        .from(documents)
        .where(eq(documents.personId, persons.id)),
    ),
  );
  const orphans = db
    .select({ id: persons.id })
    .from(persons)
    .where(and(inArray(persons.id, personIds), unreferenced))
    .all()
    .map((row) => row.id);
  if (orphans.length > 0) {
    db.delete(contractParties).where(inArray(contractParties.personId, orphans)).run();
    db.delete(persons).where(inArray(persons.id, orphans)).run();
  }
  return deleted;
}

/** An invitation's code registered a login: the invitee joins the contract (once; a repeat is a no-op). */
export async function insertHouseholdMember(
  db: DbOrTx,
  values: { contractId: string; personId: string; access: HouseholdAccess; since: string },
): Promise<void> {
  db.insert(contractParties)
    .values({ ...values, role: 'household_member' })
    .onConflictDoNothing()
    .run();
}

/**
 * Ends a member's party on the contract with `until` (kept as history, never deleted). Only a
 * current party row changes: a second removal finds nothing.
 */
export async function endHouseholdMembership(
  db: DbOrTx,
  contractId: string,
  personId: string,
  until: string,
  today: string,
): Promise<boolean> {
  return (
    db
      .update(contractParties)
      .set({ until })
      .where(
        and(
          eq(contractParties.contractId, contractId),
          eq(contractParties.personId, personId),
          or(isNull(contractParties.until), sql`${contractParties.until} >= ${today}`),
        ),
      )
      .run().changes > 0
  );
}

export async function updateHouseholdAccess(
  db: DbOrTx,
  contractId: string,
  personId: string,
  access: HouseholdAccess,
): Promise<number> {
  return db
    .update(contractParties)
    .set({ access })
    .where(and(eq(contractParties.contractId, contractId), eq(contractParties.personId, personId)))
    .run().changes;
}

/**
 * Members whose removal the main tenant asked for and staff have not decided yet: the open
 * contract-change requests `removeHouseholdMember` files with the client id
 * `household-removal:<contract>:<person>`.
 */
export async function listPendingRemovalPersonIds(db: DbOrTx, contractId: string): Promise<Set<string>> {
  const prefix = `household-removal:${contractId}:`;
  const rows = db
    .select({ clientId: tickets.clientId })
    .from(tickets)
    .where(
      and(
        eq(tickets.contractId, contractId),
        sql`substr(${tickets.clientId}, 1, ${prefix.length}) = ${prefix}`,
        notInArray(tickets.status, ['resolved', 'closed']),
      ),
    )
    .all();
  return new Set(rows.map((row) => row.clientId.slice(prefix.length)));
}
