import { and, asc, count, desc, eq, inArray, isNull, like, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import {
  buildings,
  contracts,
  incidents,
  persons,
  teams,
  units,
  teamScopes,
  tickets,
  ticketStatusHistory,
  ticketTypes,
  users,
} from '../schema/index.ts';
import { inJsonIds, jsonIds, preparedPerDb } from '../prepared.ts';
import { inChunks } from './chunks.ts';

export type TicketTypeInsert = typeof ticketTypes.$inferInsert;

export type TicketTypeRow = typeof ticketTypes.$inferSelect;

export type TicketInsert = typeof tickets.$inferInsert;

export type Ticket = typeof tickets.$inferSelect;

export type TicketStatusChangeInsert = typeof ticketStatusHistory.$inferInsert;

export async function insertTicketTypes(db: DbOrTx, rows: TicketTypeInsert[]): Promise<void> {
  if (rows.length > 0) db.insert(ticketTypes).values(rows).run();
}

/** The types offered to tenants (`GET /ticket-types`), in their configured order. */
export async function listActiveTicketTypes(db: DbOrTx): Promise<TicketTypeRow[]> {
  return db
    .select()
    .from(ticketTypes)
    .where(eq(ticketTypes.active, true))
    .orderBy(asc(ticketTypes.sort))
    .all();
}

export async function insertTickets(db: DbOrTx, rows: TicketInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(tickets).values(chunk).run();
}

export async function insertTicketStatusChanges(db: DbOrTx, rows: TicketStatusChangeInsert[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(ticketStatusHistory).values(chunk).run();
}

/** "My requests" (seed 003 "Meine Vorgänge"): newest activity first. */
export async function listTicketsCreatedBy(db: DbOrTx, userId: string): Promise<Ticket[]> {
  return db
    .select()
    .from(tickets)
    .where(eq(tickets.createdByUserId, userId))
    .orderBy(desc(tickets.lastActivityAt))
    .all();
}

export type TicketStatus = Ticket['status'];

export type TicketPatch = Partial<
  Pick<
    TicketInsert,
    | 'status'
    | 'priority'
    | 'assigneeId'
    | 'firstRespondedAt'
    | 'resolvedAt'
    | 'resolutionDueAt'
    | 'rating'
    | 'ratingComment'
    | 'reopenCount'
    | 'lastActivityAt'
    | 'updatedAt'
    | 'mergedIntoId'
    | 'incidentId'
    | 'teamId'
  >
>;

export async function findTicketType(db: DbOrTx, typeId: string): Promise<TicketTypeRow | undefined> {
  return db.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)).get();
}

/** A ticket with the estate of its building: staff scopes name estates as well as buildings. */
export type TicketWithEstate = Ticket & { estateId: string | null };

// Every socket event and ticket route starts with this lookup: prepared once per connection.
const ticketWithEstateQuery = preparedPerDb((db) =>
  db
    .select({ ticket: tickets, estateId: buildings.estateId })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .where(eq(tickets.id, sql.placeholder('ticketId')))
    .prepare(),
);

export async function findTicketWithEstate(
  db: DbOrTx,
  ticketId: string,
): Promise<TicketWithEstate | undefined> {
  const row = ticketWithEstateQuery(db).get({ ticketId });
  return row && { ...row.ticket, estateId: row.estateId };
}

const ticketByClientIdQuery = preparedPerDb((db) =>
  db
    .select()
    .from(tickets)
    .where(
      and(
        eq(tickets.createdByUserId, sql.placeholder('userId')),
        eq(tickets.clientId, sql.placeholder('clientId')),
      ),
    )
    .prepare(),
);

export async function findTicketByClientId(
  db: DbOrTx,
  userId: string,
  clientId: string,
): Promise<Ticket | undefined> {
  return ticketByClientIdQuery(db).get({ userId, clientId });
}

export async function insertTicket(db: DbOrTx, row: TicketInsert): Promise<Ticket> {
  return db.insert(tickets).values(row).returning().get();
}

// Two statements, not one with coalesce(): SQLite rewrites the entries of every index holding a
// column named in SET, changed or not, so a customer's message must not name `first_responded_at`
// (tickets_status_sla_idx would be rewritten by every message, one page more per commit).
const touchQueryOf = (stopsFirstResponse: boolean) =>
  preparedPerDb((db) =>
    db
      .update(tickets)
      .set({
        // Raw placeholders carry the driver value (ms), as drizzle's set() does not type placeholders.
        lastActivityAt: sql`${sql.placeholder('at')}`,
        updatedAt: sql`${sql.placeholder('at')}`,
        ...(stopsFirstResponse && {
          firstRespondedAt: sql`coalesce(${tickets.firstRespondedAt}, ${sql.placeholder('at')})`,
        }),
      })
      .where(eq(tickets.id, sql.placeholder('ticketId')))
      .prepare(),
  );
const touchAfterCustomerMessage = touchQueryOf(false);
const touchAfterStaffReply = touchQueryOf(true);

/**
 * A public message moved the ticket: activity and update time become `at`; a staff reply also
 * stops the first-response clock (`firstRespondedAt`, set if still empty). The message hot path's
 * one prepared update.
 */
export async function touchTicketAfterMessage(
  db: DbOrTx,
  ticketId: string,
  at: Date,
  byStaff: boolean,
): Promise<void> {
  (byStaff ? touchAfterStaffReply : touchAfterCustomerMessage)(db).run({ ticketId, at: at.getTime() });
}

export async function updateTicket(db: DbOrTx, ticketId: string, patch: TicketPatch): Promise<Ticket> {
  const row = db.update(tickets).set(patch).where(eq(tickets.id, ticketId)).returning().get();
  if (!row) throw new Error(`ticket ${ticketId} vanished during update`);
  return row;
}

/** The highest number of the year ("2026-000123"); called inside the creating (immediate) transaction. */
export async function findLastTicketNumberOfYear(db: DbOrTx, year: number): Promise<string | undefined> {
  return db
    .select({ number: tickets.number })
    .from(tickets)
    .where(like(tickets.number, `${year}-%`))
    .orderBy(desc(tickets.number))
    .limit(1)
    .get()?.number;
}

/** Team scopes that cover a building (its own, its estate's, or `all`): routing picks the narrowest. */
export async function listTeamScopesCoveringBuilding(
  db: DbOrTx,
  buildingId: string,
  estateId: string,
): Promise<(typeof teamScopes.$inferSelect)[]> {
  return db
    .select()
    .from(teamScopes)
    .where(
      or(
        eq(teamScopes.kind, 'all'),
        and(eq(teamScopes.kind, 'building'), eq(teamScopes.buildingId, buildingId)),
        and(eq(teamScopes.kind, 'estate'), eq(teamScopes.estateId, estateId)),
      ),
    )
    .all();
}

/** LIKE pattern for a user's search text: `%` and `_` match themselves (ESCAPE '\\'). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function searchCondition(q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const pattern = containsPattern(q);
  return or(
    sql`${tickets.number} like ${pattern} escape '\\'`,
    sql`${tickets.subject} like ${pattern} escape '\\'`,
    // The subject in every language (JSON text): a tenant finds a request by a word of any of them.
    sql`${tickets.subjects} like ${pattern} escape '\\'`,
    sql`${tickets.description} like ${pattern} escape '\\'`,
  );
}

export interface TicketSearch {
  q?: string;
  status?: TicketStatus;
  limit: number;
}

/**
 * A customer's tickets: the ones they filed and every ticket on their contracts, so all household
 * members see the household's requests (seed 003). Historical tickets stay searchable (seed 004).
 */
export async function listTicketsOfCustomer(
  db: DbOrTx,
  userId: string,
  contractIds: string[],
  search: TicketSearch,
): Promise<Ticket[]> {
  const mine =
    contractIds.length > 0
      ? or(eq(tickets.createdByUserId, userId), inArray(tickets.contractId, contractIds))
      : eq(tickets.createdByUserId, userId);
  return db
    .select()
    .from(tickets)
    .where(
      and(
        mine,
        isNull(tickets.mergedIntoId),
        search.status ? eq(tickets.status, search.status) : undefined,
        searchCondition(search.q),
      ),
    )
    .orderBy(desc(tickets.lastActivityAt))
    .limit(search.limit)
    .all();
}

const ticketIdsOfCustomerQuery = preparedPerDb((db) =>
  db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      or(
        eq(tickets.createdByUserId, sql.placeholder('userId')),
        inJsonIds(tickets.contractId, 'contractIds'),
      ),
    )
    .prepare(),
);

/** Ids only, for the live layer's rooms (every socket connect). */
export async function listTicketIdsOfCustomer(
  db: DbOrTx,
  userId: string,
  contractIds: string[],
): Promise<string[]> {
  return ticketIdsOfCustomerQuery(db)
    .all({ userId, contractIds: jsonIds(contractIds) })
    .map((row) => row.id);
}

export interface StaffScopeFilter {
  /** null: every building (`all` scope). */
  buildingIds: string[] | null;
  estateIds: string[] | null;
}

/** Building and estate of each ticket, one query for a page of live events. */
export async function listTicketPlacements(
  db: DbOrTx,
  ticketIds: string[],
): Promise<{ id: string; buildingId: string | null; estateId: string | null }[]> {
  if (ticketIds.length === 0) return [];
  return db
    .select({ id: tickets.id, buildingId: tickets.buildingId, estateId: buildings.estateId })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .where(inArray(tickets.id, ticketIds))
    .all();
}

export async function listStatusHistoryOfTicket(db: DbOrTx, ticketId: string) {
  return db
    .select()
    .from(ticketStatusHistory)
    .where(eq(ticketStatusHistory.ticketId, ticketId))
    .orderBy(asc(ticketStatusHistory.createdAt))
    .all();
}

/** Alias with the intent of `GET /ticket-types`. */
export const listTicketTypesForForms = listActiveTicketTypes;

/** "My requests" still open: every status but `closed`. */
/**
 * The requests list's tickets (`listTicketsOfCustomer`: filed by the user or on one of their
 * contracts, merged ones left out) that are not closed: the start page's count of what the list shows.
 */
export async function countOpenTicketsOfCustomer(
  db: DbOrTx,
  userId: string,
  contractIds: string[],
): Promise<number> {
  const mine =
    contractIds.length > 0
      ? or(eq(tickets.createdByUserId, userId), inArray(tickets.contractId, contractIds))
      : eq(tickets.createdByUserId, userId);
  return (
    db
      .select({ open: count() })
      .from(tickets)
      .where(and(mine, isNull(tickets.mergedIntoId), ne(tickets.status, 'closed')))
      .get()?.open ?? 0
  );
}

/**
 * The workspace's side panel (issue 5 "linked contract/unit/tenant panel"): who filed the ticket,
 * on which contract, unit and address, and the owning team; one query.
 */
export async function findTicketPanel(db: DbOrTx, ticketId: string) {
  return db
    .select({
      person: {
        id: persons.id,
        kind: persons.kind,
        firstName: persons.firstName,
        lastName: persons.lastName,
        organisationName: persons.organisationName,
        email: persons.email,
        phone: persons.phone,
        mobile: persons.mobile,
        customerNumber: persons.customerNumber,
      },
      loginEmail: users.loginEmail,
      language: users.language,
      contract: { id: contracts.id, number: contracts.number },
      unit: { id: units.id, number: units.number },
      building: {
        street: buildings.street,
        houseNumber: buildings.houseNumber,
        postalCode: buildings.postalCode,
        city: buildings.city,
      },
      teamName: teams.name,
      incident: { id: incidents.id, title: incidents.title },
    })
    .from(tickets)
    .innerJoin(users, eq(users.id, tickets.createdByUserId))
    .innerJoin(persons, eq(persons.id, users.personId))
    .leftJoin(contracts, eq(contracts.id, tickets.contractId))
    .leftJoin(units, eq(units.id, tickets.unitId))
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .leftJoin(incidents, eq(incidents.id, tickets.incidentId))
    .where(eq(tickets.id, ticketId))
    .get();
}

/** The duplicates merged into a ticket, oldest first (the workspace shows their text). */
export async function listTicketsMergedInto(db: DbOrTx, ticketId: string) {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      description: tickets.description,
    })
    .from(tickets)
    .where(eq(tickets.mergedIntoId, ticketId))
    .orderBy(asc(tickets.createdAt))
    .all();
}

/** The estate of a building (incident and ticket scope checks). */
export async function findEstateOfBuilding(db: DbOrTx, buildingId: string): Promise<string | undefined> {
  return db.select({ estateId: buildings.estateId }).from(buildings).where(eq(buildings.id, buildingId)).get()
    ?.estateId;
}

/** Tickets filed before subjects were stored per language (tickets.subjects null), oldest first. */
export async function listTicketsWithoutSubjects(db: DbOrTx, limit: number) {
  return db
    .select({ id: tickets.id, typeId: tickets.typeId, fields: tickets.fields, title: tickets.title })
    .from(tickets)
    .where(isNull(tickets.subjects))
    .orderBy(asc(tickets.createdAt), asc(tickets.id))
    .limit(limit)
    .all();
}

/** Stores a ticket's subjects; `subject` changes too, so the search index re-reads the ticket. */
export async function setTicketSubjects(
  db: DbOrTx,
  ticketId: string,
  subjects: { subject: string; subjects: Record<string, string> },
): Promise<void> {
  db.update(tickets).set(subjects).where(eq(tickets.id, ticketId)).run();
}
