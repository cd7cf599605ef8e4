import { asc, count, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import {
  buildings,
  estates,
  persons,
  teamMembers,
  teamScopes,
  teams,
  tickets,
  ticketTypes,
  users,
} from '../schema/index.ts';

/** Admin console (issue 5 item 8): every ticket type, active or not, in configured order. */
export async function listAllTicketTypes(db: DbOrTx) {
  return db.select().from(ticketTypes).orderBy(asc(ticketTypes.sort)).all();
}

export type TicketTypePatch = Partial<
  Pick<
    typeof ticketTypes.$inferInsert,
    'form' | 'slaFirstResponseHours' | 'slaResolutionHours' | 'defaultPriority' | 'routingTeamId' | 'active'
  >
>;

export async function updateTicketType(db: DbOrTx, typeId: string, patch: TicketTypePatch) {
  return db.update(ticketTypes).set(patch).where(eq(ticketTypes.id, typeId)).returning().get();
}

export async function listTeams(db: DbOrTx) {
  return db.select().from(teams).orderBy(asc(teams.name)).all();
}

export type TeamScopeRow = typeof teamScopes.$inferSelect;

export async function insertTeam(db: DbOrTx, row: typeof teams.$inferInsert) {
  return db.insert(teams).values(row).returning().get();
}

export async function renameTeam(db: DbOrTx, teamId: string, name: string) {
  return db.update(teams).set({ name }).where(eq(teams.id, teamId)).returning().get();
}

/** Members and scopes go first: they reference the team (foreign keys are on). */
export async function deleteTeam(db: DbOrTx, teamId: string): Promise<void> {
  db.delete(teamMembers).where(eq(teamMembers.teamId, teamId)).run();
  db.delete(teamScopes).where(eq(teamScopes.teamId, teamId)).run();
  db.delete(teams).where(eq(teams.id, teamId)).run();
}

/** Every membership and every scope at once: the admin list is three queries, whatever its size. */
export async function listAllTeamMembers(db: DbOrTx) {
  return db.select().from(teamMembers).all();
}

export async function listAllTeamScopes(db: DbOrTx): Promise<TeamScopeRow[]> {
  return db.select().from(teamScopes).all();
}

export async function listMemberIdsOfTeam(db: DbOrTx, teamId: string): Promise<string[]> {
  return db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(eq(teamMembers.teamId, teamId))
    .all()
    .map((row) => row.userId);
}

export async function replaceTeamMembers(db: DbOrTx, teamId: string, userIds: string[]): Promise<void> {
  db.delete(teamMembers).where(eq(teamMembers.teamId, teamId)).run();
  if (userIds.length > 0)
    db.insert(teamMembers)
      .values(userIds.map((userId) => ({ teamId, userId })))
      .run();
}

/** A user's teams become exactly `teamIds` (staff account form). */
export async function replaceTeamsOfUser(db: DbOrTx, userId: string, teamIds: string[]): Promise<void> {
  db.delete(teamMembers).where(eq(teamMembers.userId, userId)).run();
  if (teamIds.length > 0)
    db.insert(teamMembers)
      .values(teamIds.map((teamId) => ({ teamId, userId })))
      .run();
}

export async function replaceTeamScopes(
  db: DbOrTx,
  teamId: string,
  scopes: Omit<typeof teamScopes.$inferInsert, 'teamId'>[],
): Promise<void> {
  db.delete(teamScopes).where(eq(teamScopes.teamId, teamId)).run();
  if (scopes.length > 0)
    db.insert(teamScopes)
      .values(scopes.map((scope) => ({ ...scope, teamId })))
      .run();
}

export async function listEstatesForAdmin(db: DbOrTx) {
  return db.select({ id: estates.id, name: estates.name, city: estates.city }).from(estates).all();
}

export async function listBuildingsForAdmin(db: DbOrTx) {
  return db
    .select({
      id: buildings.id,
      estateId: buildings.estateId,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      city: buildings.city,
    })
    .from(buildings)
    .orderBy(asc(buildings.street), asc(buildings.houseNumber))
    .all();
}

/** What still depends on a team: ticket types routed to it and its tickets that are not done. */
export async function countTeamDependents(db: DbOrTx, teamId: string) {
  const routedTypes =
    db.select({ n: count() }).from(ticketTypes).where(eq(ticketTypes.routingTeamId, teamId)).get()?.n ?? 0;
  // Every ticket, closed ones too: each keeps its team (reports, history) and references it.
  const ticketCount = db.select({ n: count() }).from(tickets).where(eq(tickets.teamId, teamId)).get()?.n ?? 0;
  const members =
    db.select({ n: count() }).from(teamMembers).where(eq(teamMembers.teamId, teamId)).get()?.n ?? 0;
  return { routedTypes, tickets: ticketCount, members };
}

/** Staff and admin accounts, disabled ones included (the admin may reactivate them). */
export async function listStaffAccountsForAdmin(db: DbOrTx) {
  return db
    .select({ user: users, person: persons })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(inArray(users.role, ['staff', 'admin']))
    .orderBy(asc(persons.lastName), asc(persons.firstName))
    .all();
}

export async function findUsersByIds(db: DbOrTx, userIds: string[]) {
  if (userIds.length === 0) return [];
  return db.select({ id: users.id, role: users.role }).from(users).where(inArray(users.id, userIds)).all();
}

/** Role changes are the admin console's alone (users.ts's UserPatch leaves the role out on purpose). */
export async function updateUserRole(db: DbOrTx, userId: string, role: 'staff' | 'admin'): Promise<void> {
  db.update(users).set({ role }).where(eq(users.id, userId)).run();
}
