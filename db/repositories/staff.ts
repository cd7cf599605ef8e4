import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import {
  buildingContacts,
  buildings,
  cannedReplies,
  teamMembers,
  teams,
  teamScopes,
} from '../schema/index.ts';

export type TeamInsert = typeof teams.$inferInsert;
export type TeamMemberInsert = typeof teamMembers.$inferInsert;
export type TeamScopeInsert = typeof teamScopes.$inferInsert;
export type TeamScope = typeof teamScopes.$inferSelect;
export type BuildingContactInsert = typeof buildingContacts.$inferInsert;
export type BuildingContact = typeof buildingContacts.$inferSelect;
export type CannedReplyInsert = typeof cannedReplies.$inferInsert;

export function insertTeams(db: DbOrTx, rows: TeamInsert[]): void {
  if (rows.length > 0) db.insert(teams).values(rows).run();
}

export function insertTeamMembers(db: DbOrTx, rows: TeamMemberInsert[]): void {
  if (rows.length > 0) db.insert(teamMembers).values(rows).run();
}

export function insertTeamScopes(db: DbOrTx, rows: TeamScopeInsert[]): void {
  if (rows.length > 0) db.insert(teamScopes).values(rows).run();
}

export function insertBuildingContacts(db: DbOrTx, rows: BuildingContactInsert[]): void {
  if (rows.length > 0) db.insert(buildingContacts).values(rows).run();
}

export function insertCannedReplies(db: DbOrTx, rows: CannedReplyInsert[]): void {
  if (rows.length > 0) db.insert(cannedReplies).values(rows).run();
}

/** Every scope of every team the user belongs to: what staff may see. */
export function listTeamScopesOfUser(db: DbOrTx, userId: string): TeamScope[] {
  return db
    .select({ scope: teamScopes })
    .from(teamMembers)
    .innerJoin(teamScopes, eq(teamScopes.teamId, teamMembers.teamId))
    .where(eq(teamMembers.userId, userId))
    .all()
    .map((row) => row.scope);
}

/** The contact persons of a building (seed 000 "Ansprechpartner"), in display order. */
export function listBuildingContacts(db: DbOrTx, buildingId: string): BuildingContact[] {
  return db
    .select()
    .from(buildingContacts)
    .where(eq(buildingContacts.buildingId, buildingId))
    .orderBy(asc(buildingContacts.sort))
    .all();
}

/** The contact persons of several buildings with the building address, in display order: one query. */
export function listBuildingContactsOfBuildings(db: DbOrTx, buildingIds: string[]) {
  if (buildingIds.length === 0) return [];
  return db
    .select({ contact: buildingContacts, building: buildings })
    .from(buildingContacts)
    .innerJoin(buildings, eq(buildings.id, buildingContacts.buildingId))
    .where(inArray(buildingContacts.buildingId, buildingIds))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(buildingContacts.sort))
    .all();
}
