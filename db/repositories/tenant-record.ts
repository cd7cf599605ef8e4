import { and, asc, count, desc, eq, inArray, isNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { first, inIdArray, type Tables, tablesOf } from '../dialect.ts';
import type { StaffScopeFilter } from './tickets.ts';

/**
 * The staff console's tenant record (issue 15 item 5): a fixed number of grouped queries per record,
 * whatever the number of contracts, household members or tickets (no query per row).
 */

/** A condition nothing meets, as a boolean on both stores (PostgreSQL refuses a bare `0`). */
const nothing = sql`1 = 0`;

/** Every contract the person is or was party to, one row per unit, with the unit's building. */
export async function listContractUnitsOfPerson(db: DbOrTx, personId: string) {
  const { buildings, contractParties, contracts, contractUnits, units } = tablesOf(db);
  return await db
    .select({
      contractId: contracts.id,
      number: contracts.number,
      kind: contracts.kind,
      startDate: contracts.startDate,
      endDate: contracts.endDate,
      currency: contracts.currency,
      role: contractParties.role,
      access: contractParties.access,
      until: contractParties.until,
      unitId: units.id,
      unitNumber: units.number,
      unitKind: units.kind,
      building: {
        id: buildings.id,
        estateId: buildings.estateId,
        street: buildings.street,
        houseNumber: buildings.houseNumber,
        postalCode: buildings.postalCode,
        city: buildings.city,
      },
    })
    .from(contractParties)
    .innerJoin(contracts, eq(contracts.id, contractParties.contractId))
    .innerJoin(contractUnits, eq(contractUnits.contractId, contracts.id))
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(contractParties.personId, personId))
    .orderBy(desc(contracts.startDate), asc(contracts.number), asc(units.number));
}

/**
 * Open invoices past their due date per contract (arrears as dunning sees them): how many and the
 * amount still open of them (a part payment lowers it, as on the tenant's start page).
 */
export async function summariseOverdueInvoicesOf(db: DbOrTx, contractIds: readonly string[], today: string) {
  if (contractIds.length === 0) return new Map<string, { count: number; amount: number }>();
  const { invoices } = tablesOf(db);
  const rows = await db
    .select({
      contractId: invoices.contractId,
      count: count(),
      // PostgreSQL answers SUM of a bigint as a numeric string: mapped to a number as SQLite's.
      amount: sql<number>`coalesce(sum(${invoices.amount} - coalesce(${invoices.paidAmount}, 0)), 0)`.mapWith(
        Number,
      ),
    })
    .from(invoices)
    .where(
      and(
        inIdArray(db, invoices.contractId, contractIds),
        isNull(invoices.paidAt),
        lt(invoices.dueOn, today),
      ),
    )
    .groupBy(invoices.contractId);
  return new Map(rows.map((row) => [row.contractId, { count: row.count, amount: row.amount }]));
}

/** Everyone on the contracts (every role but guarantor) with whether they have a working login. */
export async function listHouseholdOfContracts(db: DbOrTx, contractIds: readonly string[]) {
  if (contractIds.length === 0) return [];
  const { contractParties, persons, users } = tablesOf(db);
  return await db
    .select({
      contractId: contractParties.contractId,
      personId: contractParties.personId,
      role: contractParties.role,
      access: contractParties.access,
      until: contractParties.until,
      firstName: persons.firstName,
      lastName: persons.lastName,
      organisationName: persons.organisationName,
      userId: users.id,
      disabledAt: users.disabledAt,
    })
    .from(contractParties)
    .innerJoin(persons, eq(persons.id, contractParties.personId))
    .leftJoin(users, eq(users.personId, contractParties.personId))
    .where(
      and(
        inIdArray(db, contractParties.contractId, contractIds),
        notInArray(contractParties.role, ['guarantor']),
      ),
    )
    // An organisation has no last name: NULLS FIRST as SQLite sorts them, PostgreSQL too.
    .orderBy(
      asc(contractParties.contractId),
      asc(contractParties.role),
      sql`${persons.lastName} asc nulls first`,
    );
}

/** Statuses that still need work: the count on the summary card. */
const openStatuses = ['new', 'in_progress', 'waiting_tenant'] as const;

/**
 * The person's tickets as the tenant app lists them (filed by their login or on their contracts,
 * merged ones left out), limited to the staff member's buildings and estates.
 */
function personTicketsWhere(
  db: DbOrTx,
  { buildings, tickets }: Tables,
  person: { userId: string | null; contractIds: readonly string[] },
  scope: StaffScopeFilter,
): SQL | undefined {
  const mine: SQL[] = [];
  if (person.userId) mine.push(eq(tickets.createdByUserId, person.userId));
  if (person.contractIds.length > 0) mine.push(inIdArray(db, tickets.contractId, person.contractIds));
  if (mine.length === 0) return nothing;
  let inScope: SQL | undefined;
  if (scope.buildingIds !== null && scope.estateIds !== null) {
    const parts: SQL[] = [];
    if (scope.buildingIds.length > 0) parts.push(inArray(tickets.buildingId, scope.buildingIds));
    if (scope.estateIds.length > 0) parts.push(inArray(buildings.estateId, scope.estateIds));
    inScope = parts.length > 0 ? or(...parts) : nothing;
  }
  return and(or(...mine), isNull(tickets.mergedIntoId), inScope);
}

export async function listTicketsOfPersonForStaff(
  db: DbOrTx,
  person: { userId: string | null; contractIds: readonly string[] },
  scope: StaffScopeFilter,
  limit: number,
) {
  const tables = tablesOf(db);
  const { buildings, tickets } = tables;
  return await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      subjects: tickets.subjects,
      type: tickets.typeId,
      status: tickets.status,
      priority: tickets.priority,
      createdAt: tickets.createdAt,
      lastActivityAt: tickets.lastActivityAt,
    })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .where(personTicketsWhere(db, tables, person, scope))
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(limit);
}

export async function countOpenTicketsOfPersonForStaff(
  db: DbOrTx,
  person: { userId: string | null; contractIds: readonly string[] },
  scope: StaffScopeFilter,
): Promise<number> {
  const tables = tablesOf(db);
  const { buildings, tickets } = tables;
  const row = await first(
    db
      .select({ open: count() })
      .from(tickets)
      .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
      .where(and(personTicketsWhere(db, tables, person, scope), inArray(tickets.status, [...openStatuses]))),
  );
  return row?.open ?? 0;
}
