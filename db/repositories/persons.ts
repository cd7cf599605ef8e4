import { and, asc, eq, gte, inArray, isNull, or, sql, type Column, type SQL } from 'drizzle-orm';
import { inChunks } from './chunks.ts';
import type { DbOrTx } from '../transaction.ts';
import type { persons } from '../schema/index.ts';
import { first, inIdArray, isPostgres, tablesOf } from '../dialect.ts';

export type PersonRow = typeof persons.$inferSelect;
export type PersonInsert = typeof persons.$inferInsert;
export type PersonContactPatch = Partial<Pick<PersonRow, 'email' | 'phone' | 'mobile'>>;

/** A condition nothing meets, as a boolean on both stores (PostgreSQL refuses a bare `0`). */
const nothing = sql`1 = 0`;

export async function findPerson(db: DbOrTx, personId: string): Promise<PersonRow | undefined> {
  const { persons } = tablesOf(db);
  return await first(db.select().from(persons).where(eq(persons.id, personId)));
}

export async function insertPerson(db: DbOrTx, values: PersonInsert): Promise<PersonRow> {
  const { persons } = tablesOf(db);
  return (await first(db.insert(persons).values(values).returning()))!;
}

export async function insertPersons(db: DbOrTx, rows: PersonInsert[]): Promise<void> {
  const { persons } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(persons).values(chunk);
}

/** A mobile number the person added in the portal (the ERP's records carry none). */
export async function setPersonMobile(db: DbOrTx, personId: string, mobile: string): Promise<void> {
  const { persons } = tablesOf(db);
  await db.update(persons).set({ mobile }).where(eq(persons.id, personId));
}

/** Contact data the customer maintains themselves (seed 002 "Kontaktdaten ändern"). */
export async function updatePersonContact(
  db: DbOrTx,
  personId: string,
  patch: PersonContactPatch,
  at: Date,
): Promise<void> {
  const { persons } = tablesOf(db);
  await db
    .update(persons)
    .set({ ...patch, updatedAt: at })
    .where(eq(persons.id, personId));
}

/** The units a person owns with their building (seed 003 owners), in address order: one query. */
export async function listOwnedUnitsWithBuildings(db: DbOrTx, personId: string) {
  const { buildings, ownerships, units } = tablesOf(db);
  return await db
    .select({
      unit: units,
      building: buildings,
      sharePerMille: ownerships.sharePerMille,
      until: ownerships.until,
    })
    .from(ownerships)
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(ownerships.personId, personId))
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(units.number), asc(ownerships.id));
}

/** Where to look in the tenant directory: null building ids = every building (`all` scope). */
export interface TenantDirectoryFilter {
  buildingIds: string[] | null;
  estateIds: string[] | null;
  buildingId?: string;
  personIds?: string[];
  contractIds?: string[];
  q?: string;
  /** At most this many rows (a search box shows a handful, not the whole estate). */
  limit?: number;
}

/**
 * Current contract parties (tenants and household members, not guarantors) with contract, unit,
 * building and login: one query. A contract over several units yields one row per unit; the
 * service keeps the first.
 */
export async function listTenantDirectoryRows(db: DbOrTx, filter: TenantDirectoryFilter, today: string) {
  const { buildings, contractParties, contracts, contractUnits, persons, units, users } = tablesOf(db);
  const conditions: (SQL | undefined)[] = [
    inArray(contractParties.role, ['main_tenant', 'co_tenant', 'household_member']),
    or(isNull(contracts.endDate), gte(contracts.endDate, today)),
    or(isNull(contractParties.until), gte(contractParties.until, today)),
  ];
  if (filter.buildingIds !== null && filter.estateIds !== null) {
    const scopeParts: SQL[] = [];
    if (filter.buildingIds.length > 0) scopeParts.push(inArray(buildings.id, filter.buildingIds));
    if (filter.estateIds.length > 0) scopeParts.push(inArray(buildings.estateId, filter.estateIds));
    conditions.push(scopeParts.length > 0 ? or(...scopeParts) : nothing);
  }
  if (filter.buildingId) conditions.push(eq(buildings.id, filter.buildingId));
  // As a JSON array: a go-live's list of new people can exceed SQLite's 32,766 bound variables.
  if (filter.personIds) conditions.push(inIdArray(db, persons.id, filter.personIds));
  if (filter.contractIds) conditions.push(inArray(contracts.id, filter.contractIds));
  // Every word must match somewhere, so "Erika Mustermann" finds her across first and last name.
  // Case does not matter: SQLite's LIKE ignores it (ASCII), PostgreSQL needs ILIKE for that.
  const operator = isPostgres(db) ? sql.raw('ilike') : sql.raw('like');
  for (const word of (filter.q ?? '').split(/\s+/).filter(Boolean)) {
    const pattern = `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const like = (column: Column) => sql`${column} ${operator} ${pattern} escape '\\'`;
    conditions.push(
      or(
        like(persons.firstName),
        like(persons.lastName),
        like(persons.organisationName),
        like(persons.customerNumber),
        like(contracts.number),
        like(buildings.street),
      ),
    );
  }
  const query = db
    .select({
      person: persons,
      contractId: contracts.id,
      contractNumber: contracts.number,
      role: contractParties.role,
      unitNumber: units.number,
      building: buildings,
      userId: users.id,
    })
    .from(contractParties)
    .innerJoin(persons, eq(persons.id, contractParties.personId))
    .innerJoin(contracts, eq(contracts.id, contractParties.contractId))
    .innerJoin(contractUnits, eq(contractUnits.contractId, contracts.id))
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .leftJoin(users, eq(users.personId, persons.id))
    .where(and(...conditions))
    // A missing last name sorts first, as SQLite sorts NULL; PostgreSQL is told so.
    .orderBy(
      asc(buildings.street),
      asc(buildings.houseNumber),
      asc(units.number),
      sql`${persons.lastName} asc nulls first`,
      asc(persons.id),
      asc(contracts.id),
    )
    .$dynamic();
  return await (filter.limit ? query.limit(filter.limit) : query);
}

/** The buildings a staff scope covers, for the directory's building filter. */
export async function listBuildingsInScope(
  db: DbOrTx,
  filter: Pick<TenantDirectoryFilter, 'buildingIds' | 'estateIds'>,
) {
  const { buildings } = tablesOf(db);
  let where: SQL | undefined;
  if (filter.buildingIds !== null && filter.estateIds !== null) {
    const parts: SQL[] = [];
    if (filter.buildingIds.length > 0) parts.push(inArray(buildings.id, filter.buildingIds));
    if (filter.estateIds.length > 0) parts.push(inArray(buildings.estateId, filter.estateIds));
    where = parts.length > 0 ? or(...parts) : nothing;
  }
  return await db
    .select()
    .from(buildings)
    .where(where)
    .orderBy(asc(buildings.street), asc(buildings.houseNumber), asc(buildings.id));
}
