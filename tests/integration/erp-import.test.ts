import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { rawRows } from '../../db/dialect.ts';
import type { CreatedApiKeyDto, ApiKeysDto } from '../../shared/api/integration.ts';
import type { ImportResult } from '../../shared/api/import.ts';
import { listUserIdsOfPersons } from '../../db/repositories/notifications.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

/**
 * Issue 14: API keys for the ERP and `POST /api/v1/import` (API.md "Integration"), on a real
 * SQLite file with the demo data beside the imported landlord.
 */
// Every load starts a worker thread that loads the import's modules first: 3–8 s a test here,
// several times that on a busy machine.
vi.setConfig({ testTimeout: 60_000 });
const { app, db, session } = await staffWorld(['tenant', 'staff', 'admin']);

async function createKey(scopes: string[] = ['import'], name = 'Wodis nightly'): Promise<CreatedApiKeyDto> {
  const res = await call(app, '/api/staff/admin/api-keys', { cookie: session.admin, json: { name, scopes } });
  expect(res.status).toBe(201);
  return (await res.json()) as CreatedApiKeyDto;
}

const load = (secret: string, body: unknown) =>
  call(app, '/api/v1/import', { origin: null, headers: { authorization: `Bearer ${secret}` }, json: body });

/** A small landlord as its ERP would send it. */
function landlord() {
  return {
    estates: [{ externalId: 'E-1', name: 'Gartenstadt Nord', city: 'Leipzig', country: 'DE' }],
    buildings: [
      {
        externalId: 'B-1',
        estateExternalId: 'E-1',
        street: 'Lindenweg',
        houseNumber: '7',
        postalCode: '04109',
        city: 'Leipzig',
        country: 'DE',
        use: 'residential',
        currency: 'EUR',
      },
    ],
    units: [
      { externalId: 'U-1', buildingExternalId: 'B-1', number: '0.01', kind: 'flat', floor: 0, areaSqm: 61.5 },
      { externalId: 'U-2', buildingExternalId: 'B-1', number: '1.01', kind: 'flat', floor: 1 },
    ],
    persons: [
      {
        externalId: 'P-1',
        kind: 'natural',
        firstName: 'Greta',
        lastName: 'Lindqvist',
        email: 'greta.lindqvist@example.org',
        language: 'sv',
        customerNumber: 'K-900001',
      },
      {
        externalId: 'P-2',
        kind: 'natural',
        firstName: 'Ole',
        lastName: 'Brandt',
        customerNumber: 'K-900002',
      },
    ],
    contracts: [
      {
        externalId: 'C-1',
        number: 'MV-900001',
        kind: 'residential',
        unitExternalIds: ['U-1'],
        parties: [{ personExternalId: 'P-1', role: 'main_tenant' }],
        startDate: '2024-04-01',
        currency: 'EUR',
        paymentMethod: 'direct_debit',
        iban: 'DE89 3704 0044 0532 0130 00',
        rentComponents: [
          { kind: 'net_rent', amount: 61000, validFrom: '2024-04-01' },
          { kind: 'service_charge_advance', amount: 14500, validFrom: '2024-04-01' },
        ],
      },
      {
        externalId: 'C-2',
        number: 'MV-900002',
        kind: 'residential',
        unitExternalIds: ['U-2'],
        parties: [{ personExternalId: 'P-2', role: 'main_tenant' }],
        startDate: '2025-01-01',
        currency: 'EUR',
        paymentMethod: 'transfer',
        rentComponents: [{ kind: 'net_rent', amount: 52000, validFrom: '2025-01-01' }],
      },
    ],
    invoices: [
      {
        externalId: 'I-1',
        contractExternalId: 'C-2',
        number: 'RE-2026-900002-12',
        periodStart: '2026-12-01',
        periodEnd: '2026-12-31',
        issuedOn: '2026-11-20',
        dueOn: '2026-12-03',
        amount: 52000,
        currency: 'EUR',
        paymentReference: 'MV-900002 Miete 12/2026',
      },
    ],
    ledgerEntries: [
      {
        externalId: 'L-1',
        contractExternalId: 'C-2',
        bookedOn: '2026-12-01',
        kind: 'charge',
        description: 'Miete 12/2026',
        amount: 52000,
        invoiceExternalId: 'I-1',
      },
      {
        externalId: 'L-2',
        contractExternalId: 'C-2',
        bookedOn: '2026-12-02',
        kind: 'payment',
        description: 'Zahlung, danke',
        amount: -52000,
      },
    ],
  };
}

/** Row counts of every table a load writes: a refused load must leave all of them as they were. */
/** One `count(*) as n`: a bigint, so a string, on PostgreSQL. */
const countOf = async (query: SQL) => Number((await rawRows<{ n: number | string }>(db, query))[0]!.n);

async function tableCounts(): Promise<Record<string, number>> {
  const tables = [
    'estates',
    'buildings',
    'units',
    'persons',
    'contracts',
    'contract_units',
    'contract_parties',
    'rent_components',
    'invoices',
    'ledger_entries',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countOf(sql.raw(`select count(*) as n from ${table}`));
  return counts;
}

describe('API keys', () => {
  it('are shown once, listed without their secret, and revoked with immediate effect', async () => {
    const { apiKey, secret } = await createKey(['import', 'read']);
    expect(secret).toMatch(/^ptk_[a-z2-9]{24}\.[a-z2-9]{24}$/);
    expect(apiKey).toMatchObject({ name: 'Wodis nightly', scopes: ['import', 'read'], lastUsedAt: null });

    const listed = (await (
      await call(app, '/api/staff/admin/api-keys', { cookie: session.admin })
    ).json()) as ApiKeysDto;
    expect(listed.apiKeys.map((key) => key.id)).toContain(apiKey.id);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(4));
    // Only the hash is stored.
    const [stored] = await rawRows<{ h: Buffer }>(
      db,
      sql`select secret_hash as h from api_keys where id = ${apiKey.id}`,
    );
    expect(stored!.h.toString('latin1')).not.toContain(secret.split('.')[1]!);

    expect((await load(secret, { dryRun: true })).status).toBe(200);
    const used = (await (
      await call(app, '/api/staff/admin/api-keys', { cookie: session.admin })
    ).json()) as ApiKeysDto;
    expect(used.apiKeys.find((key) => key.id === apiKey.id)!.lastUsedAt).not.toBeNull();

    const revoke = await call(app, `/api/staff/admin/api-keys/${apiKey.id}`, {
      method: 'DELETE',
      cookie: session.admin,
    });
    expect(revoke.status).toBe(204);
    expect((await load(secret, { dryRun: true })).status).toBe(401);
    // Revoking again, or an id that never existed: 404.
    expect(
      (await call(app, `/api/staff/admin/api-keys/${apiKey.id}`, { method: 'DELETE', cookie: session.admin }))
        .status,
    ).toBe(404);
    const audit = await rawRows<{ action: string }>(
      db,
      sql`select action from audit_entries where entity_type = 'api_key' and entity_id = ${apiKey.id} order by created_at`,
    );
    expect(audit.map((entry) => entry.action)).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('are for admins only', async () => {
    for (const cookie of [session.staff, session.tenant]) {
      expect((await call(app, '/api/staff/admin/api-keys', { cookie })).status).toBe(403);
      expect(
        (await call(app, '/api/staff/admin/api-keys', { cookie, json: { name: 'x', scopes: ['import'] } }))
          .status,
      ).toBe(403);
    }
    expect((await call(app, '/api/staff/admin/api-keys')).status).toBe(401);
  });

  it('refuse bad input with a code', async () => {
    for (const json of [
      { name: '', scopes: ['import'] },
      { name: 'x', scopes: [] },
      { name: 'x', scopes: ['admin'] },
      { name: 'x\u0000', scopes: ['read'] },
      { name: 'x', scopes: ['read', 'read'] },
    ]) {
      const res = await call(app, '/api/staff/admin/api-keys', { cookie: session.admin, json });
      expect(res.status).toBe(400);
    }
  });

  it('integration routes take only keys: no session cookie, no malformed or foreign token, the right scope', async () => {
    const { secret } = await createKey(['read']);
    const tenantCookie = await call(app, '/api/v1/import', { cookie: session.admin, json: { dryRun: true } });
    expect(tenantCookie.status).toBe(401);
    for (const authorization of [
      '',
      'Bearer',
      `Bearer ${session.admin}`,
      'Bearer ptk_%',
      `Basic ${secret}`,
      `Bearer ${secret}x`,
    ])
      expect(
        (
          await call(app, '/api/v1/import', {
            origin: null,
            headers: { authorization },
            json: { dryRun: true },
          })
        ).status,
      ).toBe(401);
    const wrongScope = await load(secret, { dryRun: true });
    expect(wrongScope.status).toBe(403);
    expect(((await wrongScope.json()) as { error: { code: string } }).error.code).toBe('insufficient_scope');
    expect(
      (await call(app, '/api/v1/nothing', { origin: null, headers: { authorization: `Bearer ${secret}` } }))
        .status,
    ).toBe(404);
  });
});

describe('POST /api/v1/import', () => {
  let secret: string;
  beforeAll(async () => {
    secret = (await createKey()).secret;
  });

  it('a dry run counts what a load would do and stores nothing', async () => {
    const before = await tableCounts();
    const res = await load(secret, { dryRun: true, ...landlord() });
    expect(res.status).toBe(200);
    const result = (await res.json()) as ImportResult;
    expect(result.dryRun).toBe(true);
    expect(result.counts.units).toEqual({ created: 2, updated: 0, unchanged: 0, ended: 0 });
    expect(result.counts.contracts.created).toBe(2);
    expect(result.counts.ledgerEntries.created).toBe(2);
    expect(await tableCounts()).toEqual(before);
  });

  it('applies a load, and the same load again changes nothing and says so', async () => {
    const first = (await (await load(secret, landlord())).json()) as ImportResult;
    expect(first.counts).toMatchObject({
      estates: { created: 1 },
      buildings: { created: 1 },
      units: { created: 2 },
      persons: { created: 2 },
      contracts: { created: 2 },
      invoices: { created: 1 },
      ledgerEntries: { created: 2 },
    });
    const [contract] = await rawRows<{ iban: string; units: number | string; rent: number | string }>(
      db,
      sql`
      select c.iban_masked as iban,
        (select count(*) from contract_units u where u.contract_id = c.id) as units,
        (select sum(amount) from rent_components r where r.contract_id = c.id) as rent
      from contracts c where c.external_id = 'C-1'`,
    );
    // count() and sum() are bigint and numeric on PostgreSQL: strings there.
    expect({ ...contract!, units: Number(contract!.units), rent: Number(contract!.rent) }).toEqual({
      iban: 'DE89 •••• •••• •••• ••30 00',
      units: 1,
      rent: 75500,
    });
    expect(
      JSON.stringify(await rawRows(db, sql`select * from contracts where external_id = 'C-1'`)),
    ).not.toContain('370400440532');

    const before = await tableCounts();
    const second = (await (await load(secret, landlord())).json()) as ImportResult;
    for (const counts of Object.values(second.counts))
      expect(counts.created + counts.updated + counts.ended).toBe(0);
    expect(second.counts.ledgerEntries.unchanged).toBe(2);
    expect(await tableCounts()).toEqual(before);
  });

  it('prints registration letters for everyone new since a load, and only for them', async () => {
    // This suite's loads; the demo's own load came first, from the seed.
    const runs = await rawRows<{ id: string; status: string; created: string | string[] | null }>(
      db,
      sql`select id, status, created_person_ids as created from import_runs where source = 'api' order by started_at`,
    );
    // JSON text on SQLite, jsonb (parsed by the driver) on PostgreSQL.
    const created = (run: { created: string | string[] | null }) =>
      typeof run.created === 'string' ? (JSON.parse(run.created) as string[]) : run.created;
    const first = runs.find((run) => run.status === 'applied')!;
    const second = runs.filter((run) => run.status === 'applied')[1]!;
    const dry = runs.find((run) => run.status === 'checked')!;
    expect(created(first)).toHaveLength(2);
    expect(created(second)).toEqual([]);
    const letters = (importRunId: string) =>
      call(app, '/api/staff/registration-letters', {
        cookie: session.staff,
        json: { importRunId, layout: 'per_person' },
      });
    const printed = await letters(first.id);
    expect(printed.status).toBe(201);
    const { letters: list } = (await printed.json()) as { letters: { fileName: string }[] };
    expect(list.map((letter) => letter.fileName).sort()).toEqual([
      'registration-letter-K-900001.pdf',
      'registration-letter-K-900002.pdf',
    ]);
    // The nightly load that brought nobody new prints nothing; a dry run or an unknown load is no load.
    expect((await letters(second.id)).status).toBe(409);
    expect((await letters(dry.id)).status).toBe(404);
    expect((await letters('no-such-run')).status).toBe(404);
  });

  it('delta updates what it names; full also ends what it leaves out, never deleting', async () => {
    const changed = landlord();
    changed.contracts[0]!.rentComponents[0]!.amount = 63000;
    const delta = (await (await load(secret, { contracts: [changed.contracts[0]] })).json()) as ImportResult;
    expect(delta.counts.contracts).toEqual({ created: 0, updated: 1, unchanged: 0, ended: 0 });

    // The ERP no longer sends C-2: a full load ends it (end date today), keeps its rows.
    const full = landlord();
    full.contracts = [changed.contracts[0]!];
    full.invoices = [];
    full.ledgerEntries = [];
    const before = await tableCounts();
    // The demo's contracts came from its own ERP load (server/demo/erp-load.ts): left out, they end too.
    const leftOut = await countOf(
      sql`select count(*) as n from contracts where external_id <> 'C-1' and end_date is null`,
    );
    expect(leftOut).toBeGreaterThan(1);
    const result = (await (await load(secret, { mode: 'full', ...full })).json()) as ImportResult;
    expect(result.counts.contracts.ended).toBe(leftOut);
    const [ended] = await rawRows<{ endDate: string | null }>(
      db,
      sql`select end_date as "endDate" from contracts where external_id = 'C-2'`,
    );
    expect(ended!.endDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses a load with any invalid record, lists every problem, and stores nothing', async () => {
    const bad = landlord();
    bad.estates.push({ externalId: 'E-1', name: 'Doppelt', city: 'Leipzig', country: 'DE' });
    bad.units.push({ externalId: 'U-3', buildingExternalId: 'B-404', number: '2.01', kind: 'flat' } as never);
    bad.units.push({ externalId: 'U-4', buildingExternalId: 'B-1', number: '3.01', kind: 'castle' } as never);
    bad.contracts[0]!.iban = 'DE00 1234 5678 9012 3456 78';
    (bad.contracts[1] as Record<string, unknown>).endDate = '2024-01-01';
    bad.invoices[0]!.amount = -5;
    const before = await tableCounts();
    const res = await load(secret, {
      ...bad,
      estates: bad.estates,
      persons: [...bad.persons, { externalId: 'P-9', kind: 'natural' }],
    });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as {
      error: { code: string; records: { entity: string; externalId: string; field: string; code: string }[] };
    };
    expect(error.code).toBe('import_invalid');
    const found = error.records.map((r) => `${r.entity}:${r.externalId}:${r.field}:${r.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'estates:E-1:externalId:duplicate_external_id',
        'units:U-4:kind:invalid_value',
        'contracts:C-1:iban:invalid_iban',
        'contracts:C-2:endDate:end_before_start',
        'invoices:I-1:amount:too_small',
        'persons:P-9:lastName:required',
      ]),
    );
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses references to records that exist nowhere, and two contracts on one flat at once', async () => {
    const before = await tableCounts();
    const res = await load(secret, {
      units: [{ externalId: 'U-9', buildingExternalId: 'B-404', number: '9.09', kind: 'flat' }],
      contracts: [
        {
          ...landlord().contracts[0],
          externalId: 'C-9',
          number: 'MV-900009',
          startDate: '2025-06-01',
          parties: [{ personExternalId: 'P-404', role: 'main_tenant' }],
        },
        { ...landlord().contracts[0], externalId: 'C-10', number: 'MV-900010', startDate: '2025-06-01' },
      ],
    });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as {
      error: { records: { externalId: string; field: string; code: string }[] };
    };
    const found = error.records.map((r) => `${r.externalId}:${r.field}:${r.code}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'U-9:buildingExternalId:unknown_reference',
        'C-9:parties.0.personExternalId:unknown_reference',
        'C-10:unitExternalIds:unit_overlap',
      ]),
    );
    expect(await tableCounts()).toEqual(before);
  });

  it('bad bodies are 4xx, never 5xx', async () => {
    for (const body of [
      '{',
      '[]',
      '{"mode":"sometimes"}',
      '{"units":"x"}',
      '{"unknown":[]}',
      '{"units":[null,1,"x",[]]}',
    ]) {
      const res = await call(app, '/api/v1/import', {
        origin: null,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        rawBody: body,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // Each body starts the import's worker thread: slower than a plain route on a busy machine.
  }, 120_000);

  it('finds the logins of any number of people a load touched (a first load touches them all)', async () => {
    const many = Array.from({ length: 40_000 }, (_, index) => `person-${index}`);
    expect(await listUserIdsOfPersons(db, many)).toEqual([]);
  });

  it('keeps a history of loads: who, how, counts and problems', async () => {
    const runs = await rawRows<{ source: string; status: string; problemCount: number }>(
      db,
      sql`select source, status, problem_count as "problemCount" from import_runs order by started_at`,
    );
    expect(runs.map((run) => run.status)).toEqual(expect.arrayContaining(['checked', 'applied', 'refused']));
    // The demo seed's load first, then this suite's, all by API key.
    expect(runs[0]!.source).toBe('file');
    expect(runs.slice(1).every((run) => run.source === 'api')).toBe(true);
    expect(runs.find((run) => run.status === 'refused')!.problemCount).toBeGreaterThan(0);
  });
});
