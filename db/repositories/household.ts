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
import { changedRows, first, inIdArray, type Tables, tablesOf } from '../dialect.ts';

export type HouseholdAccess = 'full' | 'read';

/** Everyone on a contract with their person and whether they have a login: one query (seed 003). */
export async function listHouseholdOfContract(db: DbOrTx, contractId: string) {
  const { contractParties, persons, users } = tablesOf(db);
  return await db
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
    // Organisations have no names: first, as SQLite sorts NULL (PostgreSQL would put them last).
    .orderBy(
      asc(contractParties.role),
      sql`${persons.lastName} is not null`,
      asc(persons.lastName),
      sql`${persons.firstName} is not null`,
      asc(persons.firstName),
    );
}

/** Not used, not withdrawn, not expired: the code still registers a login. */
const isOpen = ({ registrationCodes }: Tables, now: Date) =>
  and(
    eq(registrationCodes.purpose, 'household_invitation'),
    isNull(registrationCodes.usedAt),
    isNull(registrationCodes.revokedAt),
    or(isNull(registrationCodes.expiresAt), gt(registrationCodes.expiresAt, now)),
  );

const openInvitationColumns = ({ persons, registrationCodes }: Tables) => ({
  id: registrationCodes.id,
  personId: registrationCodes.personId,
  email: registrationCodes.email,
  access: registrationCodes.access,
  createdAt: registrationCodes.createdAt,
  expiresAt: registrationCodes.expiresAt,
  firstName: persons.firstName,
  lastName: persons.lastName,
});

/** Household invitations on a contract not yet used, withdrawn or expired, newest first. */
export async function listOpenHouseholdInvitations(db: DbOrTx, contractId: string, now: Date) {
  const tables = tablesOf(db);
  const { persons, registrationCodes } = tables;
  return await db
    .select(openInvitationColumns(tables))
    .from(registrationCodes)
    .innerJoin(persons, eq(persons.id, registrationCodes.personId))
    .where(and(eq(registrationCodes.contractId, contractId), isOpen(tables, now)))
    .orderBy(desc(registrationCodes.createdAt));
}

/** The open invitations of several contracts at once (the staff tenant record), newest first. */
export async function listOpenHouseholdInvitationsOfContracts(
  db: DbOrTx,
  contractIds: readonly string[],
  now: Date,
) {
  if (contractIds.length === 0) return [];
  const tables = tablesOf(db);
  const { persons, registrationCodes } = tables;
  return await db
    .select({ ...openInvitationColumns(tables), contractId: registrationCodes.contractId })
    .from(registrationCodes)
    .innerJoin(persons, eq(persons.id, registrationCodes.personId))
    .where(and(inIdArray(db, registrationCodes.contractId, contractIds), isOpen(tables, now)))
    .orderBy(desc(registrationCodes.createdAt));
}

/** One open invitation of this contract; undefined for another contract's id, like a missing one. */
export async function findOpenHouseholdInvitation(db: DbOrTx, contractId: string, id: string, now: Date) {
  const tables = tablesOf(db);
  const { persons, registrationCodes } = tables;
  return await first(
    db
      .select(openInvitationColumns(tables))
      .from(registrationCodes)
      .innerJoin(persons, eq(persons.id, registrationCodes.personId))
      .where(
        and(eq(registrationCodes.id, id), eq(registrationCodes.contractId, contractId), isOpen(tables, now)),
      ),
  );
}

/** A removed person's unused invitation codes for the contract stop working (housekeeping deletes them). */
export async function revokeHouseholdInvitationsOf(
  db: DbOrTx,
  contractId: string,
  personId: string,
  at: Date,
): Promise<void> {
  const { registrationCodes } = tablesOf(db);
  await db
    .update(registrationCodes)
    .set({ revokedAt: at })
    .where(
      and(
        eq(registrationCodes.contractId, contractId),
        eq(registrationCodes.personId, personId),
        eq(registrationCodes.purpose, 'household_invitation'),
        isNull(registrationCodes.usedAt),
        isNull(registrationCodes.revokedAt),
      ),
    );
}

/**
 * Household invitations that can never be used any more: unused and withdrawn or expired. Expiry
 * counts from `now`, so a link that just ran out is already gone: the code is dead either way.
 */
export async function listDeadHouseholdInvitations(db: DbOrTx, now: Date) {
  const { registrationCodes } = tablesOf(db);
  return await db
    .select({ id: registrationCodes.id, personId: registrationCodes.personId })
    .from(registrationCodes)
    .where(
      and(
        eq(registrationCodes.purpose, 'household_invitation'),
        isNull(registrationCodes.usedAt),
        or(isNotNull(registrationCodes.revokedAt), lte(registrationCodes.expiresAt, now)),
      ),
    );
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
  const { contractParties, documents, ownerships, persons, registrationCodes, users } = tablesOf(db);
  const ids = invitations.map((row) => row.id);
  const personIds = [...new Set(invitations.map((row) => row.personId))];
  // Never a used code: its person registered and is on the contract.
  const deleted = changedRows(
    await db
      .delete(registrationCodes)
      .where(and(inArray(registrationCodes.id, ids), isNull(registrationCodes.usedAt))),
  );
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
  const orphans = (
    await db
      .select({ id: persons.id })
      .from(persons)
      .where(and(inArray(persons.id, personIds), unreferenced))
  ).map((row) => row.id);
  if (orphans.length > 0) {
    await db.delete(contractParties).where(inArray(contractParties.personId, orphans));
    await db.delete(persons).where(inArray(persons.id, orphans));
  }
  return deleted;
}

/** An invitation's code registered a login: the invitee joins the contract (once; a repeat is a no-op). */
export async function insertHouseholdMember(
  db: DbOrTx,
  values: { contractId: string; personId: string; access: HouseholdAccess; since: string },
): Promise<void> {
  const { contractParties } = tablesOf(db);
  await db
    .insert(contractParties)
    .values({ ...values, role: 'household_member' })
    .onConflictDoNothing();
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
  const { contractParties } = tablesOf(db);
  return (
    changedRows(
      await db
        .update(contractParties)
        .set({ until })
        .where(
          and(
            eq(contractParties.contractId, contractId),
            eq(contractParties.personId, personId),
            or(isNull(contractParties.until), sql`${contractParties.until} >= ${today}`),
          ),
        ),
    ) > 0
  );
}

export async function updateHouseholdAccess(
  db: DbOrTx,
  contractId: string,
  personId: string,
  access: HouseholdAccess,
): Promise<number> {
  const { contractParties } = tablesOf(db);
  return changedRows(
    await db
      .update(contractParties)
      .set({ access })
      .where(and(eq(contractParties.contractId, contractId), eq(contractParties.personId, personId))),
  );
}

/**
 * Members whose removal the main tenant asked for and staff have not decided yet: the open
 * contract-change requests `removeHouseholdMember` files with the client id
 * `household-removal:<contract>:<person>`.
 */
export async function listPendingRemovalPersonIds(db: DbOrTx, contractId: string): Promise<Set<string>> {
  const { tickets } = tablesOf(db);
  const prefix = `household-removal:${contractId}:`;
  const rows = await db
    .select({ clientId: tickets.clientId })
    .from(tickets)
    .where(
      and(
        eq(tickets.contractId, contractId),
        sql`substr(${tickets.clientId}, 1, ${prefix.length}) = ${prefix}`,
        notInArray(tickets.status, ['resolved', 'closed']),
      ),
    );
  return new Set(rows.map((row) => row.clientId.slice(prefix.length)));
}
