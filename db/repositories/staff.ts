import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { jsonIds } from '../prepared.ts';
import type { DbOrTx } from '../transaction.ts';
import type { buildingContacts, cannedReplies, teamMembers, teams, teamScopes } from '../schema/index.ts';
import { first, inJsonIdList, preparedRead, tablesOf } from '../dialect.ts';

export type TeamInsert = typeof teams.$inferInsert;
export type TeamMemberInsert = typeof teamMembers.$inferInsert;
export type TeamScopeInsert = typeof teamScopes.$inferInsert;
export type TeamScope = typeof teamScopes.$inferSelect;
export type BuildingContactInsert = typeof buildingContacts.$inferInsert;
export type BuildingContact = typeof buildingContacts.$inferSelect;
export type CannedReplyInsert = typeof cannedReplies.$inferInsert;

export async function insertTeams(db: DbOrTx, rows: TeamInsert[]): Promise<void> {
  const { teams } = tablesOf(db);
  if (rows.length > 0) await db.insert(teams).values(rows);
}

export async function insertTeamMembers(db: DbOrTx, rows: TeamMemberInsert[]): Promise<void> {
  const { teamMembers } = tablesOf(db);
  if (rows.length > 0) await db.insert(teamMembers).values(rows);
}

export async function insertTeamScopes(db: DbOrTx, rows: TeamScopeInsert[]): Promise<void> {
  const { teamScopes } = tablesOf(db);
  if (rows.length > 0) await db.insert(teamScopes).values(rows);
}

export async function insertBuildingContacts(db: DbOrTx, rows: BuildingContactInsert[]): Promise<void> {
  const { buildingContacts } = tablesOf(db);
  if (rows.length > 0) await db.insert(buildingContacts).values(rows);
}

export async function insertCannedReplies(db: DbOrTx, rows: CannedReplyInsert[]): Promise<void> {
  const { cannedReplies } = tablesOf(db);
  if (rows.length > 0) await db.insert(cannedReplies).values(rows);
}

/** Every scope of every team the user belongs to: what staff may see. */
const teamScopesOfUserQuery = preparedRead((db, { teamMembers, teamScopes }) =>
  db
    .select({ scope: teamScopes })
    .from(teamMembers)
    .innerJoin(teamScopes, eq(teamScopes.teamId, teamMembers.teamId))
    .where(eq(teamMembers.userId, sql.placeholder('userId')))
    .prepare(),
);

/** Every scope of every team the user belongs to: what staff may see (every staff request and socket event). */
export async function listTeamScopesOfUser(db: DbOrTx, userId: string): Promise<TeamScope[]> {
  return (await teamScopesOfUserQuery.all(db, { userId })).map((row) => row.scope);
}

/** The contact persons of a building (seed 000 "Ansprechpartner"), in display order. */
export async function listBuildingContacts(db: DbOrTx, buildingId: string): Promise<BuildingContact[]> {
  const { buildingContacts } = tablesOf(db);
  return await db
    .select()
    .from(buildingContacts)
    .where(eq(buildingContacts.buildingId, buildingId))
    .orderBy(asc(buildingContacts.sort), asc(buildingContacts.id));
}

/** The contact persons of several buildings with the building address, in display order: one query. */
export async function listBuildingContactsOfBuildings(db: DbOrTx, buildingIds: string[]) {
  if (buildingIds.length === 0) return [];
  const { buildingContacts, buildings } = tablesOf(db);
  return await db
    .select({ contact: buildingContacts, building: buildings })
    .from(buildingContacts)
    .innerJoin(buildings, eq(buildings.id, buildingContacts.buildingId))
    .where(inArray(buildingContacts.buildingId, buildingIds))
    .orderBy(
      asc(buildings.street),
      asc(buildings.houseNumber),
      asc(buildingContacts.sort),
      asc(buildingContacts.id),
    );
}

export type CannedReply = typeof cannedReplies.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;

/** The buildings of some estates: staff scopes become plain building ids, so inbox queries use indexes. */
const buildingIdsOfEstatesQuery = preparedRead((db, { buildings }) =>
  db
    .select({ id: buildings.id })
    .from(buildings)
    .where(inJsonIdList(db, buildings.estateId, 'estateIds'))
    .prepare(),
);

/** Expands estate scopes to buildings (every inbox request of estate-scoped staff). */
export async function listBuildingIdsOfEstates(db: DbOrTx, estateIds: string[]): Promise<string[]> {
  if (estateIds.length === 0) return [];
  return (await buildingIdsOfEstatesQuery.all(db, { estateIds: jsonIds(estateIds) })).map((row) => row.id);
}

export async function listTeamIdsOfUser(db: DbOrTx, userId: string): Promise<string[]> {
  const { teamMembers } = tablesOf(db);
  const rows = await db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId));
  return rows.map((row) => row.teamId);
}

export async function findTeam(db: DbOrTx, teamId: string): Promise<TeamRow | undefined> {
  const { teams } = tablesOf(db);
  return await first(db.select().from(teams).where(eq(teams.id, teamId)));
}

/** Every active staff and admin account with its display name (assignee picker, viewer names). */
export async function listStaffAccounts(db: DbOrTx) {
  const { persons, users } = tablesOf(db);
  return await db
    .select({
      id: users.id,
      role: users.role,
      firstName: persons.firstName,
      lastName: persons.lastName,
      loginEmail: users.loginEmail,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(and(inArray(users.role, ['staff', 'admin']), isNull(users.disabledAt)))
    // A missing name sorts first, as SQLite sorts NULL; PostgreSQL is told so.
    .orderBy(
      sql`${persons.lastName} asc nulls first`,
      sql`${persons.firstName} asc nulls first`,
      asc(users.id),
    );
}

/** Canned replies of some teams plus the ones for everybody (teamId null); all when `teamIds` is null. */
export async function listCannedReplies(db: DbOrTx, teamIds: string[] | null): Promise<CannedReply[]> {
  const { cannedReplies } = tablesOf(db);
  const visible =
    teamIds === null
      ? undefined
      : teamIds.length > 0
        ? or(isNull(cannedReplies.teamId), inArray(cannedReplies.teamId, teamIds))
        : isNull(cannedReplies.teamId);
  return await db
    .select()
    .from(cannedReplies)
    .where(visible)
    .orderBy(asc(cannedReplies.title), asc(cannedReplies.id));
}

export async function findCannedReply(db: DbOrTx, replyId: string): Promise<CannedReply | undefined> {
  const { cannedReplies } = tablesOf(db);
  return await first(db.select().from(cannedReplies).where(eq(cannedReplies.id, replyId)));
}

export async function insertCannedReply(db: DbOrTx, row: CannedReplyInsert): Promise<CannedReply> {
  const { cannedReplies } = tablesOf(db);
  return (await first(db.insert(cannedReplies).values(row).returning()))!;
}

export async function updateCannedReply(
  db: DbOrTx,
  replyId: string,
  patch: Partial<Pick<CannedReplyInsert, 'title' | 'body' | 'language' | 'updatedAt'>>,
): Promise<CannedReply | undefined> {
  const { cannedReplies } = tablesOf(db);
  return await first(db.update(cannedReplies).set(patch).where(eq(cannedReplies.id, replyId)).returning());
}

export async function deleteCannedReply(db: DbOrTx, replyId: string): Promise<void> {
  const { cannedReplies } = tablesOf(db);
  await db.delete(cannedReplies).where(eq(cannedReplies.id, replyId));
}

/** Every staff member's team scopes at once (who may be assigned a ticket; no query per person). */
export async function listScopesOfAllMembers(db: DbOrTx): Promise<(TeamScope & { userId: string })[]> {
  const { teamMembers, teamScopes } = tablesOf(db);
  const rows = await db
    .select({ scope: teamScopes, userId: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(teamScopes, eq(teamScopes.teamId, teamMembers.teamId));
  return rows.map((row) => ({ ...row.scope, userId: row.userId }));
}
