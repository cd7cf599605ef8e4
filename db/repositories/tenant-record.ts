import { and, asc, count, desc, eq, inArray, isNull, lt, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import {
  buildings,
  contractParties,
  contracts,
  contractUnits,
  invoices,
  persons,
  tickets,
  units,
  users,
} from '../schema/index.ts';
import { inJsonArray } from '../prepared.ts';
import type { StaffScopeFilter } from './tickets.ts';

/**
 * The staff console's tenant record (issue 15 item 5): a fixed number of grouped queries per record,
 * whatever the number of contracts, household members or tickets (no query per row).
 */

/** Every contract the person is or was party to, one row per unit, with the unit's building. */
export async function listContractUnitsOfPerson(db: DbOrTx, personId: string) {
  return db
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
    .orderBy(desc(contracts.startDate), asc(contracts.number), asc(units.number))
    .all();
}

/**
 * Open invoices past their due date per contract (arrears as dunning sees them): how many and the
 * amount still open of them (a part payment lowers it, as on the tenant's start page).
 */
export async function summariseOverdueInvoicesOf(db: DbOrTx, contractIds: readonly string[], today: string) {
  if (contractIds.length === 0) return new Map<string, { count: number; amount: number }>();
  const rows = db
    .select({
      contractId: invoices.contractId,
      count: count(),
      amount: sql<number>`coalesce(sum(${invoices.amount} - coalesce(${invoices.paidAmount}, 0)), 0)`,
    })
    .from(invoices)
    .where(
      and(inJsonArray(invoices.contractId, contractIds), isNull(invoices.paidAt), lt(invoices.dueOn, today)),
    )
    .groupBy(invoices.contractId)
    .all();
  return new Map(rows.map((row) => [row.contractId, { count: row.count, amount: row.amount }]));
}

/** Everyone on the contracts (every role but guarantor) with whether they have a working login. */
export async function listHouseholdOfContracts(db: DbOrTx, contractIds: readonly string[]) {
  if (contractIds.length === 0) return [];
  return db
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
        inJsonArray(contractParties.contractId, contractIds),
        notInArray(contractParties.role, ['guarantor']),
      ),
    )
    .orderBy(asc(contractParties.contractId), asc(contractParties.role), asc(persons.lastName))
    .all();
}

/** Statuses that still need work: the count on the summary card. */
const openStatuses = ['new', 'in_progress', 'waiting_tenant'] as const;

/**
 * The person's tickets as the tenant app lists them (filed by their login or on their contracts,
 * merged ones left out), limited to the staff member's buildings and estates.
 */
function personTicketsWhere(
  person: { userId: string | null; contractIds: readonly string[] },
  scope: StaffScopeFilter,
): SQL | undefined {
  const mine: SQL[] = [];
  if (person.userId) mine.push(eq(tickets.createdByUserId, person.userId));
  if (person.contractIds.length > 0) mine.push(inJsonArray(tickets.contractId, person.contractIds));
  if (mine.length === 0) return sql`0`;
  let inScope: SQL | undefined;
  if (scope.buildingIds !== null && scope.estateIds !== null) {
    const parts: SQL[] = [];
    if (scope.buildingIds.length > 0) parts.push(inArray(tickets.buildingId, scope.buildingIds));
    if (scope.estateIds.length > 0) parts.push(inArray(buildings.estateId, scope.estateIds));
    inScope = parts.length > 0 ? or(...parts) : sql`0`;
  }
  return and(or(...mine), isNull(tickets.mergedIntoId), inScope);
}

export async function listTicketsOfPersonForStaff(
  db: DbOrTx,
  person: { userId: string | null; contractIds: readonly string[] },
  scope: StaffScopeFilter,
  limit: number,
) {
  return db
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
    .where(personTicketsWhere(person, scope))
    .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
    .limit(limit)
    .all();
}

export async function countOpenTicketsOfPersonForStaff(
  db: DbOrTx,
  person: { userId: string | null; contractIds: readonly string[] },
  scope: StaffScopeFilter,
): Promise<number> {
  return (
    db
      .select({ open: count() })
      .from(tickets)
      .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
      .where(and(personTicketsWhere(person, scope), inArray(tickets.status, [...openStatuses])))
      .get()?.open ?? 0
  );
}
