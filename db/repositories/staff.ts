import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { inJsonIds, jsonIds, preparedPerDb } from '../prepared.ts';
import type { DbOrTx } from '../transaction.ts';
import {
  buildingContacts,
  buildings,
  cannedReplies,
  persons,
  teamMembers,
  teams,
  teamScopes,
  users,
} from '../schema/index.ts';

export type TeamInsert = typeof teams.$inferInsert;
export type TeamMemberInsert = typeof teamMembers.$inferInsert;
export type TeamScopeInsert = typeof teamScopes.$inferInsert;
export type TeamScope = typeof teamScopes.$inferSelect;
export type BuildingContactInsert = typeof buildingContacts.$inferInsert;
export type BuildingContact = typeof buildingContacts.$inferSelect;
export type CannedReplyInsert = typeof cannedReplies.$inferInsert;

export async function insertTeams(db: DbOrTx, rows: TeamInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(teams).values(rows).run();
}

export async function insertTeamMembers(db: DbOrTx, rows: TeamMemberInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(teamMembers).values(rows).run();
}

export async function insertTeamScopes(db: DbOrTx, rows: TeamScopeInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(teamScopes).values(rows).run();
}

export async function insertBuildingContacts(db: DbOrTx, rows: BuildingContactInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(buildingContacts).values(rows).run();
}

export async function insertCannedReplies(db: DbOrTx, rows: CannedReplyInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(cannedReplies).values(rows).run();
}

/** Every scope of every team the user belongs to: what staff may see. */
const teamScopesOfUserQuery = preparedPerDb((db) =>
  db
    .select({ scope: teamScopes })
    .from(teamMembers)
    .innerJoin(teamScopes, eq(teamScopes.teamId, teamMembers.teamId))
    .where(eq(teamMembers.userId, sql.placeholder('userId')))
    .prepare(),
);

/** Every scope of every team the user belongs to: what staff may see (every staff request and socket event). */
export async function listTeamScopesOfUser(db: DbOrTx, userId: string): Promise<TeamScope[]> {
  return teamScopesOfUserQuery(db)
    .all({ userId })
    .map((row) => row.scope);
}

/** The contact persons of a building (seed 000 "Ansprechpartner"), in display order. */
export async function listBuildingContacts(db: DbOrTx, buildingId: string): Promise<BuildingContact[]> {
  return db
    .select()
    .from(buildingContacts)
    .where(eq(buildingContacts.buildingId, buildingId))
    .orderBy(asc(buildingContacts.sort))
    .all();
}

/** The contact persons of several buildings with the building address, in display order: one query. */
export async function listBuildingContactsOfBuildings(db: DbOrTx, buildingIds: string[]) {
  if (buildingIds.length === 0) return [];
  return db
    .select({ contact: buildingContacts, building: buildings })
    .from(buildingContacts)
    .innerJoin(buildings, eq(buildings.id, buildingContacts.buildingId))
    .where(inArray(buildingContacts.buildingId, buildingIds))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(buildingContacts.sort))
    .all();
}

export type CannedReply = typeof cannedReplies.$inferSelect;
export type TeamRow = typeof teams.$inferSelect;

/** The buildings of some estates: staff scopes become plain building ids, so inbox queries use indexes. */
const buildingIdsOfEstatesQuery = preparedPerDb((db) =>
  db.select({ id: buildings.id }).from(buildings).where(inJsonIds(buildings.estateId, 'estateIds')).prepare(),
);

/** Expands estate scopes to buildings (every inbox request of estate-scoped staff). */
export async function listBuildingIdsOfEstates(db: DbOrTx, estateIds: string[]): Promise<string[]> {
  if (estateIds.length === 0) return [];
  return buildingIdsOfEstatesQuery(db)
    .all({ estateIds: jsonIds(estateIds) })
    .map((row) => row.id);
}

export async function listTeamIdsOfUser(db: DbOrTx, userId: string): Promise<string[]> {
  return db
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(eq(teamMembers.userId, userId))
    .all()
    .map((row) => row.teamId);
}

export async function findTeam(db: DbOrTx, teamId: string): Promise<TeamRow | undefined> {
  return db.select().from(teams).where(eq(teams.id, teamId)).get();
}

/** Every active staff and admin account with its display name (assignee picker, viewer names). */
export async function listStaffAccounts(db: DbOrTx) {
  return db
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
    .orderBy(asc(persons.lastName), asc(persons.firstName))
    .all();
}

/** Canned replies of some teams plus the ones for everybody (teamId null); all when `teamIds` is null. */
export async function listCannedReplies(db: DbOrTx, teamIds: string[] | null): Promise<CannedReply[]> {
  const visible =
    teamIds === null
      ? undefined
      : teamIds.length > 0
        ? or(isNull(cannedReplies.teamId), inArray(cannedReplies.teamId, teamIds))
        : isNull(cannedReplies.teamId);
  return db.select().from(cannedReplies).where(visible).orderBy(asc(cannedReplies.title)).all();
}

export async function findCannedReply(db: DbOrTx, replyId: string): Promise<CannedReply | undefined> {
  return db.select().from(cannedReplies).where(eq(cannedReplies.id, replyId)).get();
}

export async function insertCannedReply(db: DbOrTx, row: CannedReplyInsert): Promise<CannedReply> {
  return db.insert(cannedReplies).values(row).returning().get();
}

export async function updateCannedReply(
  db: DbOrTx,
  replyId: string,
  patch: Partial<Pick<CannedReplyInsert, 'title' | 'body' | 'language' | 'updatedAt'>>,
): Promise<CannedReply | undefined> {
  return db.update(cannedReplies).set(patch).where(eq(cannedReplies.id, replyId)).returning().get();
}

export async function deleteCannedReply(db: DbOrTx, replyId: string): Promise<void> {
  db.delete(cannedReplies).where(eq(cannedReplies.id, replyId)).run();
}

/** Every staff member's team scopes at once (who may be assigned a ticket; no query per person). */
export async function listScopesOfAllMembers(db: DbOrTx): Promise<(TeamScope & { userId: string })[]> {
  return db
    .select({ scope: teamScopes, userId: teamMembers.userId })
    .from(teamMembers)
    .innerJoin(teamScopes, eq(teamScopes.teamId, teamMembers.teamId))
    .all()
    .map((row) => ({ ...row.scope, userId: row.userId }));
}
