import { asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { teamScopes, teams, ticketTypes } from '../schema/index.ts';
import { first, tablesOf } from '../dialect.ts';

/** Admin console (issue 5 item 8): every ticket type, active or not, in configured order. */
export async function listAllTicketTypes(db: DbOrTx) {
  const { ticketTypes } = tablesOf(db);
  return await db.select().from(ticketTypes).orderBy(asc(ticketTypes.sort), asc(ticketTypes.id));
}

export type TicketTypePatch = Partial<
  Pick<
    typeof ticketTypes.$inferInsert,
    'form' | 'slaFirstResponseHours' | 'slaResolutionHours' | 'defaultPriority' | 'routingTeamId' | 'active'
  >
>;

export async function updateTicketType(db: DbOrTx, typeId: string, patch: TicketTypePatch) {
  const { ticketTypes } = tablesOf(db);
  return await first(db.update(ticketTypes).set(patch).where(eq(ticketTypes.id, typeId)).returning());
}

export async function listTeams(db: DbOrTx) {
  const { teams } = tablesOf(db);
  return await db.select().from(teams).orderBy(asc(teams.name), asc(teams.id));
}

export type TeamScopeRow = typeof teamScopes.$inferSelect;

export async function insertTeam(db: DbOrTx, row: typeof teams.$inferInsert) {
  const { teams } = tablesOf(db);
  return (await first(db.insert(teams).values(row).returning()))!;
}

export async function renameTeam(db: DbOrTx, teamId: string, name: string) {
  const { teams } = tablesOf(db);
  return await first(db.update(teams).set({ name }).where(eq(teams.id, teamId)).returning());
}

/** Members and scopes go first: they reference the team (foreign keys are on). */
export async function deleteTeam(db: DbOrTx, teamId: string): Promise<void> {
  const { teamMembers, teamScopes, teams } = tablesOf(db);
  await db.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  await db.delete(teamScopes).where(eq(teamScopes.teamId, teamId));
  await db.delete(teams).where(eq(teams.id, teamId));
}

/** Every membership and every scope at once: the admin list is three queries, whatever its size. */
export async function listAllTeamMembers(db: DbOrTx) {
  const { teamMembers } = tablesOf(db);
  return await db.select().from(teamMembers);
}

export async function listAllTeamScopes(db: DbOrTx): Promise<TeamScopeRow[]> {
  const { teamScopes } = tablesOf(db);
  return await db.select().from(teamScopes);
}

export async function listMemberIdsOfTeam(db: DbOrTx, teamId: string): Promise<string[]> {
  const { teamMembers } = tablesOf(db);
  const rows = await db
    .select({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(eq(teamMembers.teamId, teamId));
  return rows.map((row) => row.userId);
}

export async function replaceTeamMembers(db: DbOrTx, teamId: string, userIds: string[]): Promise<void> {
  const { teamMembers } = tablesOf(db);
  await db.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (userIds.length > 0) await db.insert(teamMembers).values(userIds.map((userId) => ({ teamId, userId })));
}

/** A user's teams become exactly `teamIds` (staff account form). */
export async function replaceTeamsOfUser(db: DbOrTx, userId: string, teamIds: string[]): Promise<void> {
  const { teamMembers } = tablesOf(db);
  await db.delete(teamMembers).where(eq(teamMembers.userId, userId));
  if (teamIds.length > 0) await db.insert(teamMembers).values(teamIds.map((teamId) => ({ teamId, userId })));
}

export async function replaceTeamScopes(
  db: DbOrTx,
  teamId: string,
  scopes: Omit<typeof teamScopes.$inferInsert, 'teamId'>[],
): Promise<void> {
  const { teamScopes } = tablesOf(db);
  await db.delete(teamScopes).where(eq(teamScopes.teamId, teamId));
  if (scopes.length > 0) await db.insert(teamScopes).values(scopes.map((scope) => ({ ...scope, teamId })));
}

export async function listEstatesForAdmin(db: DbOrTx) {
  const { estates } = tablesOf(db);
  return await db.select({ id: estates.id, name: estates.name, city: estates.city }).from(estates);
}

export async function listBuildingsForAdmin(db: DbOrTx) {
  const { buildings } = tablesOf(db);
  return await db
    .select({
      id: buildings.id,
      estateId: buildings.estateId,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      city: buildings.city,
    })
    .from(buildings)
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(buildings.id));
}

/** What still depends on a team: ticket types routed to it and its tickets that are not done. */
export async function countTeamDependents(db: DbOrTx, teamId: string) {
  const { teamMembers, tickets, ticketTypes } = tablesOf(db);
  // count() is mapped to a number: PostgreSQL answers COUNT as a bigint string.
  const routedTypes =
    (await first(db.select({ n: count() }).from(ticketTypes).where(eq(ticketTypes.routingTeamId, teamId))))
      ?.n ?? 0;
  // Every ticket, closed ones too: each keeps its team (reports, history) and references it.
  const ticketCount =
    (await first(db.select({ n: count() }).from(tickets).where(eq(tickets.teamId, teamId))))?.n ?? 0;
  const members =
    (await first(db.select({ n: count() }).from(teamMembers).where(eq(teamMembers.teamId, teamId))))?.n ?? 0;
  return { routedTypes, tickets: ticketCount, members };
}

/** Staff and admin accounts, disabled ones included (the admin may reactivate them). */
export async function listStaffAccountsForAdmin(db: DbOrTx) {
  const { persons, users } = tablesOf(db);
  return await db
    .select({ user: users, person: persons })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(inArray(users.role, ['staff', 'admin']))
    // A missing name sorts first, as SQLite sorts NULL; PostgreSQL is told so.
    .orderBy(
      sql`${persons.lastName} asc nulls first`,
      sql`${persons.firstName} asc nulls first`,
      asc(users.id),
    );
}

export async function findUsersByIds(db: DbOrTx, userIds: string[]) {
  if (userIds.length === 0) return [];
  const { users } = tablesOf(db);
  return await db.select({ id: users.id, role: users.role }).from(users).where(inArray(users.id, userIds));
}

/** Role changes are the admin console's alone (users.ts's UserPatch leaves the role out on purpose). */
export async function updateUserRole(db: DbOrTx, userId: string, role: 'staff' | 'admin'): Promise<void> {
  const { users } = tablesOf(db);
  await db.update(users).set({ role }).where(eq(users.id, userId));
}
