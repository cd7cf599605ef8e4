import { describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { isPostgres, rawRows } from '../../db/dialect.ts';
import type { CreatedApiKeyDto } from '../../shared/api/integration.ts';
import type { ImportJobsDto, ImportResult } from '../../shared/api/import.ts';
import { planDemoErpLoad } from '../../server/demo/demo.ts';
import { DEMO_LOAD_LABEL } from '../../server/demo/erp-load.ts';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_CUSTOMER_NUMBERS,
  DEMO_LOGINS,
  DEMO_REGISTRATION_CODE,
} from '../../server/demo/demo-constants.ts';
import { hashRegistrationCode } from '../../server/auth/registration-code.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

/**
 * Issue 14 item 8: the demo's ERP part (estates to rent account) comes in through the importer,
 * as a landlord's first load does; the rest of the demo is written against the rows it made.
 */
const now = new Date();
const { app, db, session } = await staffWorld(['admin'], {
  configure: (deps) => {
    deps.now = () => now;
  },
});

/** One number a query answers (PostgreSQL's count is a bigint, read as a string). */
const numberOf = async (query: SQL) => Number((await rawRows<{ n: number | string }>(db, query))[0]!.n);
const count = (table: string) => numberOf(sql`select count(*) as n from ${sql.identifier(table)}`);

describe('the demo seed', () => {
  it('leaves its ERP load as load 1 of the import history', async () => {
    const res = await call(app, '/api/staff/admin/imports', { cookie: session.admin });
    expect(res.status).toBe(200);
    const { jobs } = (await res.json()) as ImportJobsDto;
    expect(jobs).toHaveLength(1);
    const [demo] = jobs;
    expect(demo).toMatchObject({
      state: 'applied',
      source: 'file',
      mode: 'full',
      dryRun: false,
      label: DEMO_LOAD_LABEL,
      problemCount: 0,
    });
    // Everything the load counts as created is in the portal, nothing more of it.
    expect(demo!.counts!.contracts.created).toBe(await count('contracts'));
    expect(demo!.counts!.invoices.created).toBe(await count('invoices'));
    expect(demo!.counts!.ledgerEntries.created).toBe(await count('ledger_entries'));
    expect(demo!.counts!.units.created).toBe(await count('units'));
    // Staff are the portal's own people, not the ERP's.
    expect(demo!.counts!.persons.created).toBe(
      await numberOf(sql`select count(*) as n from persons where external_id is not null`),
    );
    expect(await count('persons')).toBeGreaterThan(demo!.counts!.persons.created);
  });

  it('writes the rest against the rows the importer made', async () => {
    // PostgreSQL checks every foreign key as it writes; SQLite's are checked here once more.
    if (!isPostgres(db)) expect(db.all(sql`pragma foreign_key_check`)).toEqual([]);
    // Erika's login is her person, the main tenant of 1001-02-03 on flat 1.02; Jonas reads along.
    const parties = await rawRows<{
      login: string | null;
      customerNumber: string;
      role: string;
      access: string;
    }>(
      db,
      sql`
      select u.login_email as login, p.customer_number as "customerNumber", cp.role, cp.access
        from contracts c
        join contract_units cu on cu.contract_id = c.id
        join units un on un.id = cu.unit_id and un.number = '1.02'
        join contract_parties cp on cp.contract_id = c.id
        join persons p on p.id = cp.person_id
        left join users u on u.person_id = p.id
       where c.number = ${DEMO_CONTRACT_NUMBERS.tenant}
       order by cp.role`,
    );
    expect(parties).toEqual([
      {
        login: DEMO_LOGINS.householdMember,
        customerNumber: DEMO_CUSTOMER_NUMBERS.householdMember,
        role: 'household_member',
        access: 'read',
      },
      {
        login: DEMO_LOGINS.tenant,
        customerNumber: DEMO_CUSTOMER_NUMBERS.tenant,
        role: 'main_tenant',
        access: 'full',
      },
    ]);
    // Every ticket's unit and building are those of its contract.
    const tickets = await rawRows<{ unitOk: number; buildingOk: number }>(
      db,
      sql`
      select case when t.unit_id is null or exists (select 1 from contract_units cu
                where cu.contract_id = t.contract_id and cu.unit_id = t.unit_id) then 1 else 0 end as "unitOk",
             case when t.building_id = (select un.building_id from contract_units cu join units un on un.id = cu.unit_id
                where cu.contract_id = t.contract_id) then 1 else 0 end as "buildingOk"
        from tickets t where t.contract_id is not null`,
    );
    expect(tickets.length).toBeGreaterThan(0);
    expect(tickets.every((ticket) => ticket.unitOk === 1 && ticket.buildingOk === 1)).toBe(true);
    // The letter's code is Hannah's, the main tenant of 1003-04-02; Olaf owns 5.01 and 5.02.
    const [letter] = await rawRows<{ number: string }>(
      db,
      sql`
      select c.number from registration_codes r
        join contract_parties cp on cp.person_id = r.person_id
        join contracts c on c.id = cp.contract_id
       where r.code_hash = ${hashRegistrationCode(DEMO_REGISTRATION_CODE)}`,
    );
    expect(letter!.number).toBe(DEMO_CONTRACT_NUMBERS.unregistered);
    const owned = await rawRows<{ unit: string }>(
      db,
      sql`
      select un.number as unit from ownerships o join units un on un.id = o.unit_id
        join persons p on p.id = o.person_id
       where p.customer_number = ${DEMO_CUSTOMER_NUMBERS.owner} order by un.number`,
    );
    expect(owned.map((row) => row.unit)).toEqual(['5.01', '5.02']);
  });

  it('is exactly what the importer writes: the same load from the ERP again changes nothing', async () => {
    const created = await call(app, '/api/staff/admin/api-keys', {
      cookie: session.admin,
      json: { name: 'Demo ERP', scopes: ['import'] },
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as CreatedApiKeyDto;
    const { records } = planDemoErpLoad(now);
    const res = await call(app, '/api/v1/import', {
      origin: null,
      headers: { authorization: `Bearer ${secret}` },
      json: { mode: 'full', ...records },
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as ImportResult;
    expect(result.dryRun).toBe(false);
    for (const [entity, counts] of Object.entries(result.counts)) {
      expect(counts.created + counts.updated + counts.ended, entity).toBe(0);
      const sent = (records as Record<string, unknown[]>)[entity]?.length ?? 0;
      expect(counts.unchanged, entity).toBe(sent);
    }
    expect(records.contracts.length).toBeGreaterThan(0);
  });
});
