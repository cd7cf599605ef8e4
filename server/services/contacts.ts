import { listBuildingContactsOfBuildings } from '../../db/repositories/staff.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import type { BuildingContactsDto } from '../../shared/api/home.ts';
import { allBuildingIds, loadCustomerScope } from './access.ts';

/** Seed 000 "Ansprechpartner": the contact persons of every house the customer rents or owns in. */
export async function listContacts(
  deps: Pick<Deps, 'db' | 'config' | 'now'>,
  user: SessionUser,
): Promise<BuildingContactsDto[]> {
  const scope = await loadCustomerScope(deps, user);
  const byBuilding = new Map<string, BuildingContactsDto>();
  for (const { contact, building } of await listBuildingContactsOfBuildings(deps.db, allBuildingIds(scope))) {
    let entry = byBuilding.get(building.id);
    if (!entry) {
      entry = {
        buildingId: building.id,
        address: `${building.street} ${building.houseNumber}, ${building.postalCode} ${building.city}`,
        contacts: [],
      };
      byBuilding.set(building.id, entry);
    }
    entry.contacts.push({
      role: contact.role,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      hours: contact.hours,
    });
  }
  return [...byBuilding.values()];
}
