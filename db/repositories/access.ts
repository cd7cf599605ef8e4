import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { preparedRead } from '../dialect.ts';

export interface ContractPlacement {
  contractId: string;
  role: 'main_tenant' | 'co_tenant' | 'household_member' | 'guarantor';
  access: 'full' | 'read';
  until: string | null;
  unitId: string;
  buildingId: string;
  estateId: string;
}

// Both scope queries run on every tenant request (server/services/access.ts): prepared once per db.
const placementsQuery = preparedRead((db, { buildings, contractParties, contractUnits, units }) =>
  db
    .select({
      contractId: contractParties.contractId,
      role: contractParties.role,
      access: contractParties.access,
      until: contractParties.until,
      unitId: units.id,
      buildingId: units.buildingId,
      estateId: buildings.estateId,
    })
    .from(contractParties)
    .innerJoin(contractUnits, eq(contractUnits.contractId, contractParties.contractId))
    .innerJoin(units, eq(units.id, contractUnits.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(contractParties.personId, sql.placeholder('personId')))
    .prepare(),
);

/** Every (contract, unit, building, estate) a person is party to: one query for the whole scope. */
export async function listContractPlacementsOfPerson(
  db: DbOrTx,
  personId: string,
): Promise<ContractPlacement[]> {
  return await placementsQuery.all(db, { personId });
}

export interface OwnedUnitPlacement {
  ownershipId: string;
  unitId: string;
  until: string | null;
  buildingId: string;
  estateId: string;
}

const ownedUnitsQuery = preparedRead((db, { buildings, ownerships, units }) =>
  db
    .select({
      ownershipId: ownerships.id,
      unitId: ownerships.unitId,
      until: ownerships.until,
      buildingId: units.buildingId,
      estateId: buildings.estateId,
    })
    .from(ownerships)
    .innerJoin(units, eq(units.id, ownerships.unitId))
    .innerJoin(buildings, eq(buildings.id, units.buildingId))
    .where(eq(ownerships.personId, sql.placeholder('personId')))
    .prepare(),
);

/** The units a person owns (WEG owners, seed 003), with building and estate. */
export async function listOwnedUnitsOfPerson(db: DbOrTx, personId: string): Promise<OwnedUnitPlacement[]> {
  return await ownedUnitsQuery.all(db, { personId });
}
