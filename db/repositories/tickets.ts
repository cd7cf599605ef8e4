import { and, asc, count, desc, eq, ilike, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { teamScopes, tickets, ticketStatusHistory, ticketTypes } from '../schema/index.ts';
import { first, inJsonIdList, isPostgres, preparedRead, preparedWrite, tablesOf } from '../dialect.ts';
import { jsonIds } from '../prepared.ts';
import { inChunks } from './chunks.ts';

export type TicketTypeInsert = typeof ticketTypes.$inferInsert;

export type TicketTypeRow = typeof ticketTypes.$inferSelect;

export type TicketInsert = typeof tickets.$inferInsert;

export type Ticket = typeof tickets.$inferSelect;

export type TicketStatusChangeInsert = typeof ticketStatusHistory.$inferInsert;

export async function insertTicketTypes(db: DbOrTx, rows: TicketTypeInsert[]): Promise<void> {
  const { ticketTypes } = tablesOf(db);
  if (rows.length > 0) await db.insert(ticketTypes).values(rows);
}

/** The types offered to tenants (`GET /ticket-types`), in their configured order. */
export async function listActiveTicketTypes(db: DbOrTx): Promise<TicketTypeRow[]> {
  const { ticketTypes } = tablesOf(db);
  return await db
    .select()
    .from(ticketTypes)
    .where(eq(ticketTypes.active, true))
    .orderBy(asc(ticketTypes.sort));
}

/** Tickets with numbers of their own (demo seed, fixtures): the year counters move on past them. */
export async function insertTickets(db: DbOrTx, rows: TicketInsert[]): Promise<void> {
  const { tickets } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(tickets).values(chunk);
  await advanceTicketNumberCounters(
    db,
    rows.map((row) => row.number),
  );
}

export async function insertTicketStatusChanges(db: DbOrTx, rows: TicketStatusChangeInsert[]): Promise<void> {
  const { ticketStatusHistory } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(ticketStatusHistory).values(chunk);
}

/** "My requests" (seed 003 "Meine Vorgänge"): newest activity first. */
export async function listTicketsCreatedBy(db: DbOrTx, userId: string): Promise<Ticket[]> {
  const { tickets } = tablesOf(db);
  return await db
    .select()
    .from(tickets)
    .where(eq(tickets.createdByUserId, userId))
    .orderBy(desc(tickets.lastActivityAt));
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
  const { ticketTypes } = tablesOf(db);
  return await first(db.select().from(ticketTypes).where(eq(ticketTypes.id, typeId)));
}

/** A ticket with the estate of its building: staff scopes name estates as well as buildings. */
export type TicketWithEstate = Ticket & { estateId: string | null };

// Every socket event and ticket route starts with this lookup: prepared once per connection.
const ticketWithEstateQuery = preparedRead((db, { buildings, tickets }) =>
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
  const row = await ticketWithEstateQuery.get(db, { ticketId });
  return row && { ...row.ticket, estateId: row.estateId };
}

const ticketByClientIdQuery = preparedRead((db, { tickets }) =>
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
  return await ticketByClientIdQuery.get(db, { userId, clientId });
}

/**
 * One ticket. Its number comes from `takeTicketNumber` (ticket creation), or is one of its own
 * (fixtures): then its year's counter moves on past it as with `insertTickets`.
 */
export async function insertTicket(
  db: DbOrTx,
  row: TicketInsert,
  numbered: 'taken' | 'own' = 'own',
): Promise<Ticket> {
  const { tickets } = tablesOf(db);
  const [inserted] = await db.insert(tickets).values(row).returning();
  if (numbered === 'own') await advanceTicketNumberCounters(db, [row.number]);
  return inserted!;
}

// Two statements, not one with coalesce(): SQLite rewrites the entries of every index holding a
// column named in SET, changed or not, so a customer's message must not name `first_responded_at`
// (tickets_status_sla_idx would be rewritten by every message, one page more per commit).
const touchQueryOf = (stopsFirstResponse: boolean) =>
  preparedWrite((db, { tickets }) =>
    db
      .update(tickets)
      .set({
        // Raw placeholders carry the driver value (ms on SQLite, ISO text on PostgreSQL), as
        // drizzle's set() does not type placeholders.
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
  await (byStaff ? touchAfterStaffReply : touchAfterCustomerMessage)(db, {
    ticketId,
    at: isPostgres(db) ? at.toISOString() : at.getTime(),
  });
}

export async function updateTicket(db: DbOrTx, ticketId: string, patch: TicketPatch): Promise<Ticket> {
  const { tickets } = tablesOf(db);
  const row = await first(db.update(tickets).set(patch).where(eq(tickets.id, ticketId)).returning());
  if (!row) throw new Error(`ticket ${ticketId} vanished during update`);
  return row;
}

/**
 * The next ticket number of the year (123 for "2026-000123"), drawn inside the creating unit of
 * work: one statement increments the year's counter row (or starts it at 1) and answers the new
 * value. Units run one after another on either store (on PostgreSQL they queue, db/transaction.ts
 * `queueForUnitOfWork`); a unit that fails rolls its increment back with it, so the numbers stay
 * consecutive.
 */
export async function takeTicketNumber(db: DbOrTx, year: number): Promise<number> {
  const { ticketNumberCounters: counters } = tablesOf(db);
  const row = await first(
    db
      .insert(counters)
      .values({ year, last: 1 })
      .onConflictDoUpdate({ target: counters.year, set: { last: sql`${counters.last} + 1` } })
      .returning({ last: counters.last }),
  );
  return row!.last;
}

/** "2026-000123" → year 2026, sequence 123; another form (fixtures, "B-0000001") counts for none. */
function parseTicketNumber(number: string): { year: number; sequence: number } | undefined {
  const match = /^(\d{4})-(\d{1,9})$/.exec(number);
  return match ? { year: Number(match[1]), sequence: Number(match[2]) } : undefined;
}

/**
 * Tickets stored with numbers of their own (the demo seed, fixtures) move their years' counters on
 * to at least their numbers, so a ticket created afterwards never takes one of them.
 */
async function advanceTicketNumberCounters(db: DbOrTx, numbers: string[]): Promise<void> {
  const lastByYear = new Map<number, number>();
  for (const number of numbers) {
    const parsed = parseTicketNumber(number);
    if (parsed) lastByYear.set(parsed.year, Math.max(lastByYear.get(parsed.year) ?? 0, parsed.sequence));
  }
  if (lastByYear.size === 0) return;
  const { ticketNumberCounters: counters } = tablesOf(db);
  const larger = isPostgres(db)
    ? sql`greatest(${counters.last}, excluded.last)`
    : sql`max(${counters.last}, excluded.last)`;
  await db
    .insert(counters)
    .values([...lastByYear].map(([year, last]) => ({ year, last })))
    .onConflictDoUpdate({ target: counters.year, set: { last: larger } });
}

/** Team scopes that cover a building (its own, its estate's, or `all`): routing picks the narrowest. */
export async function listTeamScopesCoveringBuilding(
  db: DbOrTx,
  buildingId: string,
  estateId: string,
): Promise<(typeof teamScopes.$inferSelect)[]> {
  const { teamScopes } = tablesOf(db);
  return await db
    .select()
    .from(teamScopes)
    .where(
      or(
        eq(teamScopes.kind, 'all'),
        and(eq(teamScopes.kind, 'building'), eq(teamScopes.buildingId, buildingId)),
        and(eq(teamScopes.kind, 'estate'), eq(teamScopes.estateId, estateId)),
      ),
    );
}

/** LIKE pattern for a user's search text: `%` and `_` match themselves (ESCAPE '\\'). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function searchCondition(db: DbOrTx, q: string | undefined): SQL | undefined {
  if (!q) return undefined;
  const { tickets } = tablesOf(db);
  const pattern = containsPattern(q);
  // SQLite's LIKE ignores case (ASCII letters); PostgreSQL's ILIKE does so too, where the subjects
  // are jsonb and searched as their text.
  if (isPostgres(db)) {
    return or(
      ilike(tickets.number, pattern),
      ilike(tickets.subject, pattern),
      sql`${tickets.subjects}::text ilike ${pattern}`,
      ilike(tickets.description, pattern),
    );
  }
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
  const { tickets } = tablesOf(db);
  const mine =
    contractIds.length > 0
      ? or(eq(tickets.createdByUserId, userId), inArray(tickets.contractId, contractIds))
      : eq(tickets.createdByUserId, userId);
  return await db
    .select()
    .from(tickets)
    .where(
      and(
        mine,
        isNull(tickets.mergedIntoId),
        search.status ? eq(tickets.status, search.status) : undefined,
        searchCondition(db, search.q),
      ),
    )
    .orderBy(desc(tickets.lastActivityAt))
    .limit(search.limit);
}

const ticketIdsOfCustomerQuery = preparedRead((db, { tickets }) =>
  db
    .select({ id: tickets.id })
    .from(tickets)
    .where(
      or(
        eq(tickets.createdByUserId, sql.placeholder('userId')),
        inJsonIdList(db, tickets.contractId, 'contractIds'),
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
  const rows = await ticketIdsOfCustomerQuery.all(db, { userId, contractIds: jsonIds(contractIds) });
  return rows.map((row) => row.id);
}

export interface StaffScopeFilter {
  /** null: every building (`all` scope). */
  buildingIds: string[] | null;
  estateIds: string[] | null;
}

/** Where each ticket lies (building, estate, contract, creator), one query for a page of live events. */
export async function listTicketPlacements(
  db: DbOrTx,
  ticketIds: string[],
): Promise<
  {
    id: string;
    buildingId: string | null;
    estateId: string | null;
    contractId: string | null;
    createdByUserId: string;
  }[]
> {
  if (ticketIds.length === 0) return [];
  const { buildings, tickets } = tablesOf(db);
  return await db
    .select({
      id: tickets.id,
      buildingId: tickets.buildingId,
      estateId: buildings.estateId,
      contractId: tickets.contractId,
      createdByUserId: tickets.createdByUserId,
    })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .where(inArray(tickets.id, ticketIds));
}

export async function listStatusHistoryOfTicket(db: DbOrTx, ticketId: string) {
  const { ticketStatusHistory } = tablesOf(db);
  return await db
    .select()
    .from(ticketStatusHistory)
    .where(eq(ticketStatusHistory.ticketId, ticketId))
    .orderBy(asc(ticketStatusHistory.createdAt));
}

/** Alias with the intent of `GET /ticket-types`. */
export const listTicketTypesForForms = listActiveTicketTypes;

/**
 * The requests list's tickets (`listTicketsOfCustomer`: filed by the user or on one of their
 * contracts, merged ones left out) that are not closed: the start page's count of what the list shows.
 */
export async function countOpenTicketsOfCustomer(
  db: DbOrTx,
  userId: string,
  contractIds: string[],
): Promise<number> {
  const { tickets } = tablesOf(db);
  const mine =
    contractIds.length > 0
      ? or(eq(tickets.createdByUserId, userId), inArray(tickets.contractId, contractIds))
      : eq(tickets.createdByUserId, userId);
  // count() is mapped to a number: PostgreSQL answers a bigint as text.
  const row = await first(
    db
      .select({ open: count() })
      .from(tickets)
      .where(and(mine, isNull(tickets.mergedIntoId), ne(tickets.status, 'closed'))),
  );
  return row?.open ?? 0;
}

/**
 * The workspace's side panel (issue 5 "linked contract/unit/tenant panel"): who filed the ticket,
 * on which contract, unit and address, and the owning team; one query.
 */
export async function findTicketPanel(db: DbOrTx, ticketId: string) {
  const { buildings, contracts, incidents, persons, teams, tickets, units, users } = tablesOf(db);
  return await first(
    db
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
      .where(eq(tickets.id, ticketId)),
  );
}

/** The duplicates merged into a ticket, oldest first (the workspace shows their text). */
export async function listTicketsMergedInto(db: DbOrTx, ticketId: string) {
  const { tickets } = tablesOf(db);
  return await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      description: tickets.description,
    })
    .from(tickets)
    .where(eq(tickets.mergedIntoId, ticketId))
    .orderBy(asc(tickets.createdAt));
}

/** The estate of a building (incident and ticket scope checks). */
export async function findEstateOfBuilding(db: DbOrTx, buildingId: string): Promise<string | undefined> {
  const { buildings } = tablesOf(db);
  const row = await first(
    db.select({ estateId: buildings.estateId }).from(buildings).where(eq(buildings.id, buildingId)),
  );
  return row?.estateId;
}

/** Tickets filed before subjects were stored per language (tickets.subjects null), oldest first. */
export async function listTicketsWithoutSubjects(db: DbOrTx, limit: number) {
  const { tickets } = tablesOf(db);
  return await db
    .select({ id: tickets.id, typeId: tickets.typeId, fields: tickets.fields, title: tickets.title })
    .from(tickets)
    .where(isNull(tickets.subjects))
    .orderBy(asc(tickets.createdAt), asc(tickets.id))
    .limit(limit);
}

/** Stores a ticket's subjects; `subject` changes too, so the search index re-reads the ticket. */
export async function setTicketSubjects(
  db: DbOrTx,
  ticketId: string,
  subjects: { subject: string; subjects: Record<string, string> },
): Promise<void> {
  const { tickets } = tablesOf(db);
  await db.update(tickets).set(subjects).where(eq(tickets.id, ticketId));
}
