import { listOwnedUnitsWithBuildings } from '../../db/repositories/persons.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import type { OwnedUnitDto } from '../../shared/api/home.ts';
import { todayIn } from '../lib/dates.ts';

/** Seed 003: owners (WEG) see their units; a tenant who owns nothing gets an empty list. */
export function listOwnedUnits(deps: Pick<Deps, 'db' | 'config' | 'now'>, user: SessionUser): OwnedUnitDto[] {
  const today = todayIn(deps.config.timeZone, deps.now());
  return listOwnedUnitsWithBuildings(deps.db, user.personId)
    .filter((row) => row.until === null || row.until >= today)
    .map(({ unit, building, sharePerMille }) => ({
      id: unit.id,
      number: unit.number,
      kind: unit.kind,
      floor: unit.floor,
      areaSqm: unit.areaSqm,
      building: {
        id: building.id,
        street: building.street,
        houseNumber: building.houseNumber,
        postalCode: building.postalCode,
        city: building.city,
      },
      sharePerMille,
    }));
}
