import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreatedApiKeyDto } from '../../shared/api/integration.ts';
import type { ImportResult } from '../../shared/api/import.ts';
import type { ContractorPickerDto } from '../../shared/api/contractors.ts';
import { loadImportFiles } from '../../server/services/import/files/index.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { buildings, contractorBuildings, contractorTradeRows, contractors } = testTables;

/** Contractors from the ERP load (`POST /api/v1/import` and the files of `npm run import`). */
const { app, db, session } = await staffWorld(['staff', 'admin']);
let secret = '';

beforeAll(async () => {
  const res = await call(app, '/api/staff/admin/api-keys', {
    cookie: session.admin,
    json: { name: 'ERP contractors', scopes: ['import'] },
  });
  expect(res.status).toBe(201);
  secret = ((await res.json()) as CreatedApiKeyDto).secret;
});

const load = (body: unknown) =>
  call(app, '/api/v1/import', { origin: null, headers: { authorization: `Bearer ${secret}` }, json: body });

const places = {
  estates: [{ externalId: 'HE-1', name: 'Am Kanal', city: 'Berlin', country: 'DE' }],
  buildings: ['HB-1', 'HB-2'].map((externalId, index) => ({
    externalId,
    estateExternalId: 'HE-1',
    street: 'Kanalstraße',
    houseNumber: String(index + 1),
    postalCode: '10999',
    city: 'Berlin',
    country: 'DE',
    use: 'residential',
    currency: 'EUR',
  })),
};

const plumber = {
  externalId: 'H-1',
  name: 'Muster Sanitär GmbH',
  trades: ['plumbing', 'heating'],
  contactPerson: 'Max Muster',
  phone: '+49 30 7654321',
  email: 'Auftrag@Muster-Sanitaer.example',
  language: 'de',
  buildingExternalIds: ['HB-1'],
};
const electrician = {
  externalId: 'H-2',
  name: 'Volt & Watt OHG',
  trades: ['electrical'],
  buildingExternalIds: ['HB-1', 'HB-2'],
};

interface StoredContractor {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  active: boolean;
  /** Its trades and its buildings' external ids, sorted and joined with commas; null when none. */
  trades: string | null;
  buildings: string | null;
}
const joined = (values: (string | null)[]) => (values.length > 0 ? values.join(',') : null);
const stored = async (externalId: string): Promise<StoredContractor | undefined> => {
  const [contractor] = await db
    .select({
      id: contractors.id,
      name: contractors.name,
      phone: contractors.phone,
      email: contractors.email,
      active: contractors.active,
    })
    .from(contractors)
    .where(eq(contractors.externalId, externalId));
  if (!contractor) return undefined;
  const trades = await db
    .select({ trade: contractorTradeRows.trade })
    .from(contractorTradeRows)
    .where(eq(contractorTradeRows.contractorId, contractor.id))
    .orderBy(asc(contractorTradeRows.trade));
  const places = await db
    .select({ externalId: buildings.externalId })
    .from(contractorBuildings)
    .innerJoin(buildings, eq(buildings.id, contractorBuildings.buildingId))
    .where(eq(contractorBuildings.contractorId, contractor.id))
    .orderBy(asc(buildings.externalId));
  return {
    ...contractor,
    trades: joined(trades.map((row) => row.trade)),
    buildings: joined(places.map((row) => row.externalId)),
  };
};
const contractorRows = async () => (await db.select({ id: contractors.id }).from(contractors)).length;
const buildingId = async (externalId: string) =>
  (await db.select({ id: buildings.id }).from(buildings).where(eq(buildings.externalId, externalId)))[0]!.id;

describe('contractors in the ERP load', () => {
  it('a dry run counts them and stores nothing', async () => {
    const before = await contractorRows();
    const res = await load({ dryRun: true, ...places, contractors: [plumber, electrician] });
    expect(res.status).toBe(200);
    const result = (await res.json()) as ImportResult;
    expect(result.counts.contractors).toEqual({ created: 2, updated: 0, unchanged: 0, ended: 0 });
    expect(await contractorRows()).toBe(before);
  });

  it('creates them with trades and buildings, and the same load again is all unchanged', async () => {
    const first = (await (
      await load({ ...places, contractors: [plumber, electrician] })
    ).json()) as ImportResult;
    expect(first.counts.contractors).toEqual({ created: 2, updated: 0, unchanged: 0, ended: 0 });
    expect(await stored('H-1')).toMatchObject({
      name: 'Muster Sanitär GmbH',
      email: 'auftrag@muster-sanitaer.example',
      active: true,
      trades: 'heating,plumbing',
      buildings: 'HB-1',
    });
    expect(await stored('H-2')).toMatchObject({ trades: 'electrical', buildings: 'HB-1,HB-2', phone: null });

    const again = (await (
      await load({ ...places, contractors: [plumber, electrician] })
    ).json()) as ImportResult;
    expect(again.counts.contractors).toEqual({ created: 0, updated: 0, unchanged: 2, ended: 0 });

    // The dispatch picker finds them by building and trade.
    const picker = await call(
      app,
      `/api/staff/contractors?building=${await buildingId('HB-2')}&trade=electrical`,
      {
        cookie: session.staff,
      },
    );
    expect(picker.status).toBe(200);
    const names = ((await picker.json()) as ContractorPickerDto).contractors.map((c) => c.name);
    expect(names).toEqual(['Volt & Watt OHG']);
  });

  it('delta updates what it names (row, trades or buildings) and leaves the others alone', async () => {
    const res = await load({
      contractors: [{ ...plumber, phone: '+49 30 1111111', buildingExternalIds: ['HB-1', 'HB-2'] }],
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as ImportResult;
    expect(result.counts.contractors).toEqual({ created: 0, updated: 1, unchanged: 0, ended: 0 });
    expect(await stored('H-1')).toMatchObject({ phone: '+49 30 1111111', buildings: 'HB-1,HB-2' });
    expect((await stored('H-2'))!.active).toBe(true);

    const tradesOnly = (await (
      await load({
        contractors: [
          {
            ...plumber,
            phone: '+49 30 1111111',
            buildingExternalIds: ['HB-2', 'HB-1'],
            trades: ['plumbing'],
          },
        ],
      })
    ).json()) as ImportResult;
    expect(tradesOnly.counts.contractors.updated).toBe(1);
    expect((await stored('H-1'))!.trades).toBe('plumbing');
  });

  it('full deactivates the ERP contractors it leaves out, never deletes, and keeps the portal’s own', async () => {
    const own = await call(app, '/api/staff/admin/contractors', {
      cookie: session.admin,
      json: { name: 'Hausmeisterdienst Eigenbau', trades: ['general'] },
    });
    expect(own.status).toBe(201);
    const ownId = ((await own.json()) as { contractor: { id: string } }).contractor.id;
    const before = await contractorRows();

    const res = await load({ mode: 'full', contractors: [{ ...plumber, trades: ['plumbing'] }] });
    const result = (await res.json()) as ImportResult;
    expect(res.status).toBe(200);
    expect(result.counts.contractors.ended).toBe(1);
    expect((await stored('H-2'))!.active).toBe(false);
    expect(await contractorRows()).toBe(before);
    const [ownRow] = await db
      .select({ active: contractors.active })
      .from(contractors)
      .where(eq(contractors.id, ownId));
    expect(ownRow!.active).toBe(true);

    // Named again, it is active again; a second full load ends nothing more.
    const back = (await (
      await load({ mode: 'full', contractors: [plumber, electrician] })
    ).json()) as ImportResult;
    expect(back.counts.contractors).toMatchObject({ updated: 2, ended: 0 });
    expect((await stored('H-2'))!.active).toBe(true);
  });

  it('refuses invalid contractors with located problems and stores nothing', async () => {
    const allContractors = () => db.select().from(contractors).orderBy(asc(contractors.id));
    const before = await allContractors();
    const res = await load({
      contractors: [
        { ...plumber, externalId: 'H-3', trades: ['plumbing', 'alchemy'] },
        { ...plumber, externalId: 'H-4', buildingExternalIds: ['HB-404'] },
        { externalId: 'H-5', trades: ['lift'] },
        { ...plumber, externalId: 'H-6', trades: [] },
        { ...plumber, externalId: 'H-7', phone: 'call me' },
        { ...electrician, name: 'Renamed in the refused load' },
      ],
    });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as {
      error: { code: string; records: { entity: string; externalId: string; field: string; code: string }[] };
    };
    expect(error.code).toBe('import_invalid');
    const found = error.records.map((r) => `${r.entity}:${r.externalId}:${r.field}:${r.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'contractors:H-3:trades.1:invalid_value',
        'contractors:H-4:buildingExternalIds.0:unknown_reference',
        'contractors:H-5:name:invalid_type',
        'contractors:H-6:trades:required',
        'contractors:H-7:phone:phone',
      ]),
    );
    expect(await allContractors()).toEqual(before);
  });

  it('reads a contractors file with its lists in one cell', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'portier-contractors-'));
    try {
      writeFileSync(
        join(folder, 'contractors.csv'),
        '\uFEFFexternalId;name;trades;contactPerson;phone;email;language;buildingExternalIds;active\r\n' +
          'H-10;Glas Meier;glazing;;;;sv;"HB-1; HB-2";\r\n' +
          'H-11;Dach & Fach;roofing, general;Eva Dach;+49 30 123456;;de;;false\r\n' +
          'H-12;Kaputt;welding;;;;;;\r\n',
      );
      const { records, problems } = await loadImportFiles(folder);
      expect(records.contractors).toEqual([
        {
          externalId: 'H-10',
          name: 'Glas Meier',
          trades: ['glazing'],
          language: 'sv',
          buildingExternalIds: ['HB-1', 'HB-2'],
        },
        {
          externalId: 'H-11',
          name: 'Dach & Fach',
          trades: ['roofing', 'general'],
          contactPerson: 'Eva Dach',
          phone: '+49 30 123456',
          language: 'de',
          active: false,
        },
      ]);
      expect(problems).toEqual([
        expect.objectContaining({
          entity: 'contractors',
          externalId: 'H-12',
          field: 'trades.0',
          file: 'contractors.csv',
          row: 4,
        }),
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
