// The few rows a tenant needs to file requests and write to them through the real services, on
// PostgreSQL (the demo seed needs an ERP load the importer runs on SQLite only), and the service
// dependencies of one instance, built as tests/helpers/pg-unit-writer.ts builds them for units.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '../../db/client.ts';
import { tablesOf } from '../../db/dialect.ts';
import { insertTicketTypes } from '../../db/repositories/tickets.ts';
import { loadConfig } from '../../server/config.ts';
import { planTicketTypes } from '../../server/demo/tickets.ts';
import type { Deps } from '../../server/deps.ts';
import { FileStore } from '../../server/files/store.ts';
import type { SessionUser } from '../../server/lib/context.ts';

export const tenant: SessionUser = {
  id: 'user-tenant',
  personId: 'person-tenant',
  role: 'customer',
  loginEmail: 'erika@example.test',
  language: 'de',
};

/** A request the tenant files: general correspondence on their one contract. */
export const request = (clientId: string) => ({
  type: 'general_correspondence',
  fields: { correspondence_topic: 'noise' },
  description: 'Nachts klopft es in der Heizung.',
  clientId,
});

/** An estate with one flat, its tenant on a current contract, and the seeded ticket types. */
export async function seedTenantWorld(db: Db): Promise<void> {
  const t = tablesOf(db);
  await db.insert(t.estates).values({ id: 'estate-1', name: 'Am Park', city: 'Köln', country: 'DE' });
  await db.insert(t.buildings).values({
    id: 'building-1',
    estateId: 'estate-1',
    street: 'Parkstraße',
    houseNumber: '1',
    postalCode: '50667',
    city: 'Köln',
    country: 'DE',
    use: 'residential',
    currency: 'EUR',
  });
  await db.insert(t.units).values({ id: 'unit-1', buildingId: 'building-1', number: '1.01', kind: 'flat' });
  await db
    .insert(t.persons)
    .values({ id: tenant.personId, kind: 'natural', firstName: 'Erika', lastName: 'Muster' });
  await db
    .insert(t.users)
    .values({ id: tenant.id, personId: tenant.personId, loginEmail: tenant.loginEmail, role: 'customer' });
  await db.insert(t.contracts).values({
    id: 'contract-1',
    number: 'V-100',
    kind: 'residential',
    startDate: '2020-01-01',
    currency: 'EUR',
    paymentMethod: 'transfer',
  });
  await db.insert(t.contractUnits).values({ contractId: 'contract-1', unitId: 'unit-1' });
  await db
    .insert(t.contractParties)
    .values({ contractId: 'contract-1', personId: tenant.personId, role: 'main_tenant' });
  await insertTicketTypes(db, planTicketTypes());
}

/**
 * What the ticket services use of an instance's dependencies: its own pool, no live clients. No
 * file is stored (the requests carry no attachments), so the data dir is never created.
 */
export function instanceDeps(db: Db): Deps {
  const dataDir = join(tmpdir(), 'portier-pg-instance-unused');
  return {
    config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, { publicUrl: 'http://portier.test' }),
    db,
    files: new FileStore(join(dataDir, 'files')),
    now: () => new Date(),
    bus: { publish: () => undefined },
  } as unknown as Deps;
}
